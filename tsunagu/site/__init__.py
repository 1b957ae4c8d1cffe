"""Stage 2, the site's pages: which pages a Guide makes (pages), those pages checked against each other
and the site's own names (checks.load_guide), and their text: templates rendered with every value
escaped (render), figures, JSON-LD, glossary links, readings, the search index. Imports the data stage
only; knows no engine."""

"""Stage 4, building a site folder with an engine: the site prepared for a build (prepare), the steps
any engine sits between (engines: generate, the engine's build, finish), the downloads written beside
the pages (downloads), what a build keeps for the next (cache), what the theme writes (theme, the one
module that reads MkDocs' config) and the preview's error page (errorpage). The MkDocs hooks
(hooks/tsunagu_hooks.py) call these."""

"""Typed models of a city's data, one per data file, and the Guide that holds them all.

Descriptions are in Japanese: they become the editor schemas that city staff see.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StringConstraints,
                      TypeAdapter, ValidationError, ValidatorFunctionWrapHandler, WithJsonSchema, WrapValidator)
from pydantic_core import PydanticCustomError

from . import chars, dates, labels, limits, phone
from .hours import HoursField

# ----------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------


def _as_list(value: object) -> object:
    """A single string where a list of paragraphs is expected is one paragraph."""
    return [value] if isinstance(value, str) else value


# Every string kind with its length limit (limits.py) and the characters it may hold (chars.py)
Slug = Annotated[str, StringConstraints(pattern=chars.SLUG_PATTERN, max_length=limits.SLUG_CHARS)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limits.TEXT_CHARS),
                 AfterValidator(chars.visible_text)]
Paragraphs = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=Text | list[Text])]
PhoneNumber = Annotated[str, BeforeValidator(phone.normalise), BeforeValidator(limits.bounded(limits.PHONE_CHARS)),
                        WithJsonSchema({"type": "string", "description": "電話番号（例: 03-1234-5678）"})]
Month = Annotated[dt.date, BeforeValidator(dates.parse_month),
                  WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{1,2}(-\d{1,2})?$",
                                  "description": "年月（例: 2025-03）または日付（例: 2025-03-31）"})]
Url = Annotated[str, StringConstraints(pattern=chars.URL_PATTERN, max_length=limits.URL_CHARS)]
Email = Annotated[str, StringConstraints(pattern=chars.EMAIL_PATTERN, max_length=limits.EMAIL_CHARS)]


class Model(BaseModel):
    # defer_build: each model's validator is built when first used, not on import (a build that
    # reuses an earlier build's prepared site validates nothing: building them all took 25 ms)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class AgencyRef(Model):
    """{agency: <id>}: an agency of agencies.yml, named by its id."""

    agency: Slug = Field(description="相談先の id（agencies.yml）")


class AgencyPhone(Model):
    """{agency: <id>, phone: <label>}: one phone of an agency, named by the phone's label."""

    agency: Slug = Field(description="相談先の id（agencies.yml）")
    phone: Text = Field(description="その相談先の電話番号のうち、示す一つの用途の名前（phones の label。例: 夜間）")


def _mapping_or(cls: type[Model], text: object):
    """A value written as text (validated as `text`, an id or a name) or as a mapping of cls (the
    field's own type). A slip in either form is one error, as the form written would give alone (not
    one per form tried, as a union gives), at its own line."""
    adapter = TypeAdapter(text)

    def validate(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        if isinstance(value, dict):
            return handler(value)
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            err = exc.errors()[0]  # a text is one value: one error, with its own kind and context
            raise PydanticCustomError(err["type"], "{text}", {**(err.get("ctx") or {}), "text": err["msg"]}) from None
    return WrapValidator(validate, json_schema_input_type=text | cls)


def _dump_mapping(value: object) -> str | dict[str, str]:
    return value.model_dump() if isinstance(value, Model) else value


class Contact(str):
    """An outcome's contact: an id (office, category, agency or the hub), as every page and check reads
    it; written as {agency: <id>, phone: <label>} it also carries the one phone of that agency to show."""

    phone: str | None = None

    def __new__(cls, id: str, phone: str | None = None) -> "Contact":
        made = super().__new__(cls, id)
        made.phone = phone
        return made


def _as_contact(value: object) -> Contact:
    if isinstance(value, AgencyPhone):
        return Contact(value.agency, value.phone)
    return value if isinstance(value, Contact) else Contact(str(value))


def _unpack_contact(value: object) -> object:
    """A Contact validated again (a copy of a model) keeps its phone: read as the mapping it was written as."""
    return {"agency": str(value), "phone": value.phone} if isinstance(value, Contact) and value.phone else value


def _dump_contact(value: Contact) -> str | dict[str, str]:
    return {"agency": str(value), "phone": value.phone} if getattr(value, "phone", None) else str(value)


ContactRef = Annotated[AgencyPhone, _mapping_or(AgencyPhone, Slug), BeforeValidator(_unpack_contact),
                       AfterValidator(_as_contact), PlainSerializer(_dump_contact)]


class DataFile(Model):
    """A whole data file: its own content plus when it was last updated."""

    updated: Month | None = Field(None, description="このファイルの内容を最後に更新した年月（例: 2025-03）。ページに表示されます")


class Phone(Model):
    number: PhoneNumber = Field(description="電話番号。市外局番から 03-1234-5678 の形で書きます")
    label: Text | None = Field(None, description="用途の名前（例: 事務所、相談電話、夜間）。一つだけなら省略")
    hours: HoursField | None = Field(
        None, description="この番号の受付時間（相談先の受付時間と違う番号だけ）。文字（例: 平日 17:15-翌8:30）か、"
                          "曜日と時刻（days・opens・closes、時間帯がいくつもあれば periods）で書きます")

    @property
    def display(self) -> str:
        return phone.display(self.number)

    @property
    def tel(self) -> str:
        return phone.tel_uri(self.number)


class ListBlock(Model):
    title: Text | None = Field(None, description="一覧の見出し")
    items: list[Text] = Field(description="一覧の項目")
    more: Text | None = Field(None, description="一覧の後に続ける言葉（例: …など）")


class Section(Model):
    heading: Text | None = Field(None, description="見出し（なければ章の冒頭の段落）")
    body: Paragraphs = Field(default_factory=list, description="段落")
    items_title: Text | None = Field(None, description="箇条書きの見出し")
    items: list[Text] = Field(default_factory=list, description="箇条書き")


# ----------------------------------------------------------------------------
# site.yml
# ----------------------------------------------------------------------------


class Site(Model):
    city: Text = Field(description="市区町村の名前（例: ○○市）")
    title: Text = Field(description="サイトの名前")
    description: Text = Field(description="サイトの説明（検索結果などに表示）")
    source: Text | None = Field(None, description="元になった資料の名前（例: ○○市「重層的支援体制整備事業」）。書かないと、ホームは「令和N年M月発行の資料をもとにしています」と書きます")
    issued: Month = Field(description="元の冊子の発行年月（例: 2025-03）")
    updated: Month = Field(description="内容を最後に更新した年月（例: 2025-03）")
    publisher: Slug = Field(description="発行・問い合わせ先の担当課の id（offices.yml）")
    contact_note: Text | None = Field(None, description="問い合わせ先に添える言葉")
    license: Text | None = Field(
        None, description="オープンデータの利用条件（例: クリエイティブ・コモンズ 表示 4.0 国際）。市が定めていなければ書かない")
    lg_code: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] | None = Field(
        None, description="全国地方公共団体コード（6桁の数字）。オープンデータの CSV に入ります。分からなければ書かない")
    prefecture: Text | None = Field(
        None, description="市区町村のある都道府県（例: ○○県）。オープンデータの所在地（CSV の所在地_連結表記、HSDS、schema.org）に入ります")


class SiteFile(DataFile):
    site: Site = Field(description="サイトの設定")


# ----------------------------------------------------------------------------
# fields.yml, offices.yml, agencies.yml, hub.yml
# ----------------------------------------------------------------------------


class SupportField(Model):
    id: Slug = Field(description="分野の id（半角英小文字・数字・ハイフン）")
    name: Text = Field(description="分野の名前（例: 高齢分野）")
    short: Text = Field(description="短い名前（例: 高齢）")
    easy: Text | None = Field(None, description="分野の名前を、やさしい日本語で書いたもの（例: お年寄りのこと）。やさしい日本語のページの、相談先の一覧の見出しになります")


class FieldsFile(DataFile):
    fields: list[SupportField] = Field(min_length=1, description="分野")


class Office(Model):
    id: Slug = Field(description="担当課の id")
    name: Text = Field(description="課の名前（例: ○○課）")
    department: Text | None = Field(None, description="部の名前（例: ○○部）")
    role: Text | None = Field(None, description="担当している業務")
    phones: list[Phone] = Field(default_factory=list, description="電話番号")
    email: Email | None = Field(None, description="メールアドレス")
    place: Text | None = Field(None, description="住民が呼ぶ場所の名前（例: 市役所）。住民向けの結果の「まず電話するところ」の見出しで、課の名前の前に付きます")


class OfficesFile(DataFile):
    offices: list[Office] = Field(default_factory=list, description="市の担当課")


class Area(Model):
    name: Text = Field(description="町名・町丁目・地区の名前（例: 大町一丁目）")
    reading: Text | None = Field(None, description="よみがな（ひらがな。あいうえお順に並べるのに使います）")


class Category(Model):
    id: Slug = Field(description="種別の id")
    name: Text = Field(description="種別の名前（例: 地域包括支援センター）")
    field: Slug | None = Field(None, description="分野の id（fields.yml）。ひとつの分野の種別のとき")
    fields: list[Slug] = Field(default_factory=list, description="いくつもの分野にまたがる種別のとき、その分野の id。相談先一覧と冊子では「複数の分野にまたがる相談先」に分野の名前を添えて一度だけ載り、それぞれの分野からそこを案内します。どの分野にも属さない窓口（福祉総合相談窓口など）は field も fields も書かない")
    plain: Text | None = Field(None, description="住民向けのやさしい説明（この種別の相談先に何を相談できるか）。冊子の内容を言いかえるだけで、新しい事実は書かない")
    easy: Text | None = Field(None, description="plain を、やさしい日本語で書いたもの。やさしい日本語のページに表示されます。短い文で、新しい事実は書かない")


    @property
    def field_ids(self) -> list[str]:
        """The fields this category belongs to: one, several, or none (a cross-field window)."""
        return ([self.field] if self.field else []) + [f for f in self.fields if f != self.field]


class Agency(Model):
    id: Slug = Field(description="相談先の id。ページの URL になります（/agencies/<id>/）")
    name: Text = Field(description="相談先の名前")
    category: Slug = Field(description="種別の id（categories）")
    phones: list[Phone] = Field(min_length=1, description="電話番号（一つ以上）")
    fax: PhoneNumber | None = Field(None, description="FAX 番号")
    operator: Slug | None = Field(None, description="運営している課や機関の id")
    address: Text | None = Field(None, description="所在地（資料にない場合は書かない）")
    hours: HoursField | None = Field(
        None, description="受付時間（資料にない場合は書かない）。曜日と時刻で書くと（例: days: [mon, tue, wed, thu, fri]、"
                          "opens: \"08:30\"、closes: \"17:15\"、closed: [holidays, new-year]）、オープンデータの曜日・時刻の欄にも入ります。"
                          "文字だけで書いたもの（例: 平日 8:30-17:15）は補足として表示します")
    area: Text | None = Field(None, description="担当地区の説明（資料にない場合は書かない。例: 市内全域）")
    areas: list[Area] = Field(default_factory=list, description="担当する町名・町丁目・地区の一覧（資料にない場合は書かない）。書くと「お住まいの町名から探す」ページができます")
    email: Email | None = Field(None, description="メールアドレス")
    note: Text | None = Field(None, description="補足")

    @property
    def fax_display(self) -> str | None:
        return phone.display(self.fax) if self.fax else None


class AgenciesFile(DataFile):
    categories: list[Category] = Field(min_length=1, description="相談先の種別")
    agencies: list[Agency] = Field(min_length=1, description="相談先")


class Titled(Model):
    title: Text = Field(description="見出し")
    body: Paragraphs = Field(description="段落")


class Hub(Model):
    id: Slug = Field(description="多機関協働事業者の id。ページの URL になります")
    name: Text = Field(description="名前")
    short: Text | None = Field(None, description="短い呼び名")
    role: Text = Field(description="役割の名前（例: 多機関協働事業者）")
    commission: Text | None = Field(None, description="委託の名前")
    operator: Annotated[AgencyRef, _mapping_or(AgencyRef, Text), PlainSerializer(_dump_mapping)] | None = Field(
        None, description="運営する法人。名前をそのまま書くか、相談先一覧にある機関なら {agency: 相談先の id} と書きます"
                          "（多機関協働事業者のページとその相談先のページが、たがいにリンクします）")
    address: Text | None = Field(None, description="所在地")
    phones: list[Phone] = Field(min_length=1, description="電話番号")
    fax: PhoneNumber | None = Field(None, description="FAX 番号")
    email: Email | None = Field(None, description="メールアドレス")
    hours: HoursField | None = Field(
        None, description="受付時間。曜日と時刻で書くと（days・opens・closes・closed・new_year）、休みの曜日と日も"
                          "そこから表示します。文字だけで書いたものは補足として表示します")
    closed: Text | None = Field(None, description="休み（文字で書く場合。受付時間を曜日と時刻で書いたときは、その closed に書きます）")
    access: Text | None = Field(None, description="来所の方へのお願い（駐車場など）")
    name_origin: Paragraphs = Field(default_factory=list, description="名前の由来")
    intro_title: Text | None = Field(None, description="役割の説明の見出し")
    intro: Paragraphs = Field(default_factory=list, description="役割の説明")
    aims_title: Text | None = Field(None, description="目指すことの見出し")
    aims: list[Text] = Field(default_factory=list, description="目指すこと")
    when_to_consult: Titled | None = Field(None, description="どんなときに相談するか")
    application: Titled | None = Field(None, description="利用申込のしかた（だれが申し込むか、使う用紙）")

    @property
    def fax_display(self) -> str | None:
        return phone.display(self.fax) if self.fax else None


class HubFile(DataFile):
    hub: Hub = Field(description="多機関協働事業者")


# ----------------------------------------------------------------------------
# programs.yml
# ----------------------------------------------------------------------------


class Provider(Model):
    field: Slug | None = Field(None, description="分野の id")
    service: Text | None = Field(None, description="担っている事業の名前（書かなければ、categories の種別の名前、agencies の相談先の種別の名前、offices の課の名前を表示します）")
    categories: list[Slug] = Field(default_factory=list, description="種別の id（その種別の相談先すべて）")
    agencies: list[Slug] = Field(default_factory=list, description="相談先の id")
    offices: list[Slug] = Field(
        default_factory=list, description="担っている市の担当課の id（offices.yml。冊子がこの事業の担い手として課の名前を挙げている場合）")
    hub: bool = Field(False, description="多機関協働事業者（hub.yml）が担う場合は true")


class Step(Model):
    title: Text = Field(description="手順の見出し")
    body: Paragraphs = Field(default_factory=list, description="段落")
    items: list[Text] = Field(default_factory=list, description="箇条書き")
    note: Text | None = Field(None, description="※ の注記")
    when: Text | None = Field(None, description="この手順が当てはまる場合（分かれ道）")
    meetings: list[Slug] = Field(default_factory=list, description="関係する支援会議の id")


class Targets(Model):
    title: Text = Field(description="見出し")
    lead: Text | None = Field(None, description="導入の文")
    items_title: Text | None = Field(None, description="例の見出し")
    items: list[Text] = Field(default_factory=list, description="対象となる人の例")
    more: Text | None = Field(None, description="一覧の後に続ける言葉")


class Closure(Model):
    summary: Text = Field(description="終結の基準（一覧表の言葉）")
    text: Text = Field(description="終結の説明（事業のページの言葉）")
    reopen: Text | None = Field(None, description="支援を再開する場合")


class StatedCount(Model):
    count: int = Field(ge=0, description="冊子に書かれている数（例: 16）")
    source: Text = Field(description="冊子のどこに書かれているか（例: p.20）。ページに表示します")
    line: Annotated[int, Field(ge=1)] | None = Field(None, description="冊子のテキストでの行番号（確認用。ページには出しません）")
    note: Text | None = Field(None, description="ページに添える言葉（冊子に書かれていることだけ。どれが多いかなどを推測して書かない）")


class Activity(Model):
    field: Slug = Field(description="分野の id")
    name: Text = Field(description="事業の名前")


class Program(Model):
    id: Slug = Field(description="事業の id。ページの URL になります（/programs/<id>/）")
    role: Literal["consultation"] | None = Field(
        None, description=f"{labels.describe(labels.ROLE)}。ホームと「お住まいの方へ」で案内します。ひとつの事業にだけ書きます")
    number: int = Field(ge=1, le=99, description="事業の番号")
    name: Text = Field(description="事業の名前")
    short: Text = Field(description="短い名前")
    tagline: Text | None = Field(None, description="ひとことで")
    summary: Text = Field(description="一行の説明")
    plain: Paragraphs = Field(default_factory=list, description="住民向けのやさしい説明（summary と description を言いかえたもの）。住民向けのページに表示されます")
    easy: Paragraphs = Field(default_factory=list, description="plain を、やさしい日本語で書いたもの。やさしい日本語のページに表示されます（住民の最初の相談を受ける事業 role: consultation のとき）")
    description: Paragraphs = Field(default_factory=list, description="説明の続き")
    lead: Text | None = Field(None, description="導入の文")
    providers_title: Text | None = Field(None, description="担う機関の見出し")
    providers: list[Provider] = Field(default_factory=list, description="市内で担っている機関")
    sections: list[Section] = Field(default_factory=list, description="節（見出しと段落）")
    targets: Targets | None = Field(None, description="対象となる人の例")
    steps_lead: Text | None = Field(None, description="支援の流れの前の文")
    steps: list[Step] = Field(default_factory=list, description="支援の流れ")
    steps_note: Text | None = Field(None, description="支援の流れの後の ※ の注記")
    closure: Closure | None = Field(None, description="終結の基準")
    activities_title: Text | None = Field(None, description="分野ごとの事業の見出し")
    activities: list[Activity] = Field(default_factory=list, description="分野ごとの事業")
    stated_count: StatedCount | None = Field(
        None, description="冊子に書かれている、担う機関の数（データから数えた数と違うとき、ページでそのことを伝えます）")


class ProgramsFile(DataFile):
    programs: list[Program] = Field(min_length=1, description="事業")


# ----------------------------------------------------------------------------
# meetings.yml
# ----------------------------------------------------------------------------


class MeetingGroup(Model):
    id: Slug = Field(description="まとまりの id")
    title: Text = Field(description="まとまりの見出し")
    description: Text | None = Field(None, description="説明")


class Meeting(Model):
    id: Slug = Field(description="会議の id。ページの URL になります（/meetings/<id>/）")
    name: Text = Field(description="会議の名前")
    group: Slug = Field(description="会議のまとまりの id（groups）")
    field: Slug | None = Field(None, description="分野の会議なら分野の id")
    law: Text | None = Field(None, description="根拠となる法律")
    consent: Literal["given", "not_given", "not_required"] | None = Field(
        None, description=f"{labels.FIELD['consent']}: {labels.describe(labels.CONSENT)}")
    condition: Text | None = Field(None, description="この会議を使う場合")
    in_charge: Slug | None = Field(None, description="担当（課・機関）の id")
    convened_by: Slug | None = Field(None, description="開催する機関・種別の id")
    convened_note: Text | None = Field(None, description="開催についての補足（例: 原則として開催）")
    reviews: list[Slug] = Field(default_factory=list, description="支援プランを協議する事業の id")
    duties: list[Text] = Field(default_factory=list, description="会議で行うこと")
    attendees: Text | None = Field(None, description="参加者")
    note: Text | None = Field(None, description="※ の注記")


class MeetingsFile(DataFile):
    intro: Text | None = Field(None, description="支援会議とは（導入の文）")
    groups: list[MeetingGroup] = Field(min_length=1, description="会議のまとまり")
    meetings: list[Meeting] = Field(min_length=1, description="支援会議")


# ----------------------------------------------------------------------------
# cases.yml
# ----------------------------------------------------------------------------


class Member(Model):
    role: Text = Field(description="続柄（例: 父親）")
    description: Text = Field(description="状況")


class Overview(Model):
    members: list[Member] = Field(default_factory=list, description="世帯の構成")
    situation: Text | None = Field(None, description="世帯の状況")
    problems: Text | None = Field(None, description="起こっている課題")


class CaseStep(Model):
    text: Text = Field(description="手順の文")
    programs: list[Slug] = Field(default_factory=list, description="この手順の事業の id")
    meetings: list[Slug] = Field(default_factory=list, description="この手順の支援会議の id")
    note: Text | None = Field(None, description="※ の注記")


class CaseAction(Model):
    program: Slug = Field(description="事業の id")
    items: list[Text] = Field(min_length=1, description="できる支援（箇条書き）")
    meetings: list[Slug] = Field(default_factory=list, description="この支援で使う支援会議の id")


class Case(Model):
    id: Slug = Field(description="事例の id。ページの URL になります（/cases/<id>/）")
    title: Text = Field(description="事例の名前")
    overview_title: Text | None = Field(None, description="第1章の事例紹介での見出し")
    overview: Overview | None = Field(None, description="第1章の事例紹介（世帯の構成・状況・課題）")
    household: Text | None = Field(None, description="世帯の状況（例: ３人世帯…）")
    members: list[Member] = Field(default_factory=list, description="世帯の構成")
    trigger: Text | None = Field(None, description="支援が始まったきっかけ")
    start: Paragraphs = Field(default_factory=list, description="開始までの状況")
    steps: list[CaseStep] = Field(default_factory=list, description="支援の流れ")
    steps_note: Text | None = Field(None, description="支援の流れの後の ※ の注記")
    actions: list[CaseAction] = Field(default_factory=list, description="事業ごとにできる支援")


class CasesFile(DataFile):
    cases: list[Case] = Field(default_factory=list, description="事例")


# ----------------------------------------------------------------------------
# support_flow.yml
# ----------------------------------------------------------------------------


class Branch(Model):
    when: Text = Field(description="この分かれ道に進む場合")
    meeting: Slug | None = Field(None, description="この場合の支援会議の id")
    text: Text | None = Field(None, description="説明")
    programs: list[Slug] = Field(default_factory=list, description="関係する事業の id")


class FlowStep(Model):
    number: int = Field(ge=1, description="手順の番号")
    title: Text = Field(description="手順の見出し")
    body: Paragraphs = Field(default_factory=list, description="段落")
    lists: list[ListBlock] = Field(default_factory=list, description="一覧")
    programs: list[Slug] = Field(default_factory=list, description="関係する事業の id")
    branches: list[Branch] = Field(default_factory=list, description="分かれ道")
    plain: Text | None = Field(None, description="住民向けのやさしい説明（この手順で何が起きるか）。住民向けのページに表示されます")
    easy: Text | None = Field(None, description="plain を、やさしい日本語で書いたもの。やさしい日本語のページに表示されます")


class SupportFlow(Model):
    title: Text = Field(description="見出し")
    lead: Text | None = Field(None, description="導入の文")
    steps: list[FlowStep] = Field(min_length=1, description="手順")


class SupportFlowFile(DataFile):
    support_flow: SupportFlow = Field(description="支援の流れ")


# ----------------------------------------------------------------------------
# narrative.yml
# ----------------------------------------------------------------------------


# What a chapter can hold, in the order it names them: lists shown after its sections (the first
# four) and the booklet's larger parts (the rest; each has its own web page)
ChapterPart = Literal["household_problems", "case_overviews", "programs", "cycle",
                      "program_pages", "support_flow", "meetings", "hub", "cases", "closure"]


class Chapter(Model):
    id: Slug = Field(description="章の id。ページの URL になります（/about/<id>/）")
    number: Text | None = Field(None, description="章の番号（数字だけなら「1」で「第1章」と表示。「第1章」「序章」のように「第」で始まるか「章」で終わるものは、書いたとおりに表示）")
    title: Text = Field(description="章の題")
    sections: list[Section] = Field(default_factory=list, description="節（見出しと段落）")
    show: list[ChapterPart] = Field(
        default_factory=list, description="章の後に載せる一覧（household_problems / case_overviews / programs / cycle）と、"
                                          "冊子でこの章に入れる部分（program_pages: 事業ごとの説明 / support_flow: 支援の流れ / "
                                          "meetings: 支援会議 / hub: 多機関協働事業者 / cases: 事例 / closure: 終結の基準）。"
                                          "書いた順に載せます。どの章にも書かなかった部分は、冊子では章の後に載せます")
    part_intros: dict[ChapterPart, Titled] = Field(
        default_factory=dict, description="一覧や部分の前に置く見出しと段落（例: cases: {title: 対応の内容と流れ, body: [...]}）。"
                                          "見出しは冊子でその部分の見出しになります")

    @property
    def number_label(self) -> str:
        """The chapter's number as shown: 「1」 reads 第1章; a number written whole (第1章, 序章) as written."""
        n = self.number or ""
        return n if not n or n.startswith("第") or n.endswith("章") else f"第{n}章"


class HouseholdProblems(Model):
    title: Text = Field(description="見出し")
    lead: Paragraphs = Field(default_factory=list, description="導入の段落")
    center: Text | None = Field(None, description="中心にある問題")
    items: list[Text] = Field(default_factory=list, description="からみ合う問題")
    hard_situations: list[Text] = Field(default_factory=list, description="支援がうまくいかない例")


class Source(Model):
    text: Text = Field(description="出典の名前")
    url: Url | None = Field(None, description="出典の URL")


class Cycle(Model):
    title: Text = Field(description="見出し")
    steps: list[Text] = Field(default_factory=list, description="循環の手順")
    consultation: list[Text] = Field(default_factory=list, description="相談対応の要点")
    community: list[Text] = Field(default_factory=list, description="地域づくりの要点")
    source: Source | None = Field(None, description="出典")


class NarrativeFile(DataFile):
    chapters: list[Chapter] = Field(default_factory=list, description="章")
    household_problems: HouseholdProblems | None = Field(None, description="複雑化・複合化する世帯の問題")
    cycle: Cycle | None = Field(None, description="相談対応と地域づくりの循環")


# ----------------------------------------------------------------------------
# accessibility.yml
# ----------------------------------------------------------------------------


class AccessibilityPolicy(Model):
    standard: Text = Field(description="準拠する規格（例: JIS X 8341-3:2016）")
    target: Literal["A", "AA", "AAA"] = Field(description="目標とする適合レベル")
    established: Month = Field(description="方針を定めた年月")
    scope: Text = Field(description="対象範囲")
    body: Paragraphs = Field(default_factory=list, description="方針の本文")
    notes: list[Text] = Field(default_factory=list, description="補足")


class AccessibilityFile(DataFile):
    accessibility: AccessibilityPolicy = Field(description="ウェブアクセシビリティ方針")


# ----------------------------------------------------------------------------
# national.yml: facts that hold across Japan, not from the city's booklet
# ----------------------------------------------------------------------------


class NationalContact(Model):
    id: Slug = Field(description="連絡先の id")
    name: Text = Field(description="名前（例: 警察）")
    phone: PhoneNumber = Field(description="電話番号（例: 110）")
    use: Text = Field(description="どんなときにかけるか")
    easy: Text | None = Field(None, description="use（どんなときにかけるか）を、やさしい日本語で書いたもの。やさしい日本語のページに表示されます")
    source: Literal["national"] = Field(description="national（全国共通の事実。冊子の内容ではない）")
    emergency: bool = Field(True, description="今すぐ命や体が危ないときの番号なら true（ホームなどの「今すぐ」の行に出ます）。相談の番号（189 など）は false にして、結果のページの national にだけ書きます")


class NationalFile(DataFile):
    national: list[NationalContact] = Field(default_factory=list, description="全国共通の連絡先")


# ----------------------------------------------------------------------------
# flows/*.yml: "where do I go?" question flows
# ----------------------------------------------------------------------------


class Option(Model):
    id: Slug = Field(description="選択肢の id。ページの URL になります")
    label: Text = Field(description="選択肢の文")
    next: Slug = Field(description="次の質問または結果の id")
    source: Text = Field(description="この道筋の根拠（冊子のページ、例: p.25）")
    easy: Text | None = Field(None, description="選択肢の文を、やさしい日本語で書いたもの（住民向けの質問の流れ）。やさしい日本語のページに表示されます")


class EasyQuestion(Model):
    text: Text = Field(description="質問の文を、やさしい日本語で書いたもの")
    help: Paragraphs = Field(default_factory=list, description="質問の説明を、やさしい日本語で書いたもの")


class Question(Model):
    id: Slug = Field(description="質問の id")
    text: Text = Field(description="質問の文（ページの見出しになります）")
    help: Paragraphs = Field(default_factory=list, description="質問の説明")
    options: list[Option] = Field(min_length=1, description="選択肢（一つ以上）")
    easy: EasyQuestion | None = Field(None, description="質問の文と説明を、やさしい日本語で書いたもの（住民向けの質問の流れ）。text と help を書きます。やさしい日本語のページに表示されます")


class FirstDoor(Model):
    office: Slug = Field(description="まず電話してほしい市の担当課の id（offices.yml）。その課に電話番号もメールアドレスもないときは、結果のページに出しません（check が注意を出します）")
    source: Text = Field(description="この課を最初の相談先にする根拠（冊子のページや行）")


class EasyOutcome(Model):
    title: Text = Field(description="結果の見出しを、やさしい日本語で書いたもの")
    why: Paragraphs = Field(default_factory=list, description="なぜここに相談するのかを、やさしい日本語で書いたもの")
    prepare: list[Text] = Field(default_factory=list, description="伝えること・用意することを、やさしい日本語で書いたもの")
    next: list[Text] = Field(default_factory=list, description="このあとのことを、やさしい日本語で書いたもの")


class Outcome(Model):
    id: Slug = Field(description="結果の id")
    title: Text = Field(description="結果の見出し")
    why: Paragraphs = Field(description="なぜここに相談するのか")
    source: Text = Field(description="根拠（冊子のページ、例: p.27）")
    cite: Text | None = Field(None, description="住民向けのページに出す根拠（冊子の章と節の名前。例: 冊子 第2章『包括的相談支援事業』）。書くと住民向けの流れでは source の代わりにこれを表示します")
    first_door: FirstDoor | None = Field(None, description="市が「迷ったら、まずここに」とする担当課。見出し（例: 市役所 ○○課）を付けて、ほかの相談先より先に表示します。書かなければ出ません")
    contacts: list[ContactRef] = Field(
        default_factory=list, description="相談先の id（相談先・種別・担当課・多機関協働事業者）。"
                                          "相談先の電話番号を一つだけ示すときは {agency: 相談先の id, phone: その番号の label} と書きます（例: 夜間の番号）")
    national: list[Slug] = Field(default_factory=list, description="全国共通の連絡先の id（national.yml）")
    prepare: list[Text] = Field(default_factory=list, description="伝えること・用意すること")
    next: list[Text] = Field(default_factory=list, description="このあとのこと")
    steps: list[int] = Field(default_factory=list, description="支援の流れの番号（support_flow.yml）")
    meetings: list[Slug] = Field(default_factory=list, description="関係する支援会議の id")
    programs: list[Slug] = Field(default_factory=list, description="関係する事業の id")
    easy: EasyOutcome | None = Field(None, description="見出し・理由・伝えること・このあとのことを、やさしい日本語で書いたもの（住民向けの質問の流れ）。"
                                                       "相談先と電話番号は同じものを表示します。やさしい日本語のページに表示されます")


class EasyFlowInfo(Model):
    title: Text = Field(description="質問の流れの名前を、やさしい日本語で書いたもの")
    intro: Paragraphs = Field(default_factory=list, description="はじめの説明を、やさしい日本語で書いたもの")
    outcome_note: Text | None = Field(None, description="結果に添える言葉を、やさしい日本語で書いたもの")


class FlowInfo(Model):
    id: Slug = Field(description="質問の流れの id。URL になります（/flows/<id>/）")
    title: Text = Field(description="質問の流れの名前")
    audience: Literal["residents", "professionals"] = Field(description=f"だれのための質問の流れか: {labels.describe(labels.AUDIENCE)}")
    intro: Paragraphs = Field(default_factory=list, description="はじめの説明")
    start: Slug = Field(description="最初の質問の id")
    outcome_note: Text | None = Field(None, description="結果に添える言葉。包括的相談支援事業（programs.yml の role: consultation）の相談先を示す結果にだけ表示します")
    easy: EasyFlowInfo | None = Field(None, description="名前・はじめの説明・結果に添える言葉を、やさしい日本語で書いたもの（住民向けの質問の流れ）。やさしい日本語のページに表示されます")


class FlowFile(DataFile):
    flow: FlowInfo = Field(description="質問の流れの設定")
    questions: list[Question] = Field(min_length=1, description="質問（一つの質問が一つのページ）")
    outcomes: list[Outcome] = Field(min_length=1, description="結果（相談先などを示すページ）")


# ----------------------------------------------------------------------------
# search.yml: words for the site search
# ----------------------------------------------------------------------------


class Synonym(Model):
    words: list[Text] = Field(min_length=1, description="人が検索に打ち込む言葉")
    means: list[Text] = Field(min_length=1, description="このサイトで使っている言葉")


class SearchTerms(Model):
    variants: list[Annotated[list[Text], Field(min_length=2)]] = Field(
        default_factory=list, description="同じ言葉の書き方の違い（どれで検索しても、どれも見つかる）")
    synonyms: list[Synonym] = Field(default_factory=list, description="ふだんの言葉と、サイトの言葉の対応")


class SearchFile(DataFile):
    search: SearchTerms = Field(description="検索のことば")


# ----------------------------------------------------------------------------
# glossary.yml: words a reader may not know, linked from every page at first use
# ----------------------------------------------------------------------------


class GlossaryTerm(Model):
    id: Slug = Field(description="用語の id。用語集のページのアンカーになります（/glossary/#<id>）")
    term: Text = Field(description="用語（ページの見出し）")
    reading: Text | None = Field(None, description="読み方（ひらがな）")
    also: list[Text] = Field(default_factory=list, description="ほかの書き方（この書き方もリンクします。例: 8050問題）")
    definition: Text | None = Field(None, description="冊子による説明（冊子の言葉のまま。冊子にない場合は書かない）")
    where: Text | None = Field(None, description="冊子による説明の場所（ページに表示。例: 第2章「包括的相談支援事業」）")
    source: list[Annotated[int, Field(ge=1)]] = Field(
        default_factory=list, max_length=2, description="冊子による説明の行番号（最初の行と最後の行。例: [466, 467]）")
    plain: Text = Field(description="このサイトによる、やさしい言葉での説明（冊子の内容を言い換えたもの）")
    easy: Text | None = Field(None, description="plain を、やさしい日本語で書いたもの。やさしい日本語の用語集に表示されます")
    general: Text | None = Field(
        None, description="冊子に説明がない言葉の、一般的な説明（このサイトによる。冊子の内容ではないと表示します。"
                          "法律や制度で決まっていることなど、確かなことだけを書きます）")
    program: Slug | None = Field(None, description="詳しく説明している事業の id（programs.yml）")
    meeting: Slug | None = Field(None, description="詳しく説明している支援会議の id（meetings.yml）")
    hub: bool = Field(False, description="多機関協働事業者（hub.yml）のページで詳しく説明している場合は true")
    link: bool = Field(True, description="ほかのページでこの用語をリンクするか（false にするとリンクしない）")


class GlossaryFile(DataFile):
    terms: list[GlossaryTerm] = Field(default_factory=list, description="用語")


# ----------------------------------------------------------------------------
# readings.yml: how the words on the pages are read (ふりがな), where the analyser cannot know
# ----------------------------------------------------------------------------


def _written_form(value: str) -> str:
    """A written form that gets a reading holds kanji (ruby is given to kanji only)."""
    from .readings import KANJI
    if not KANJI.search(value):
        raise PydanticCustomError("reading_form_no_kanji",
                                  "漢字のない言葉には読みを書きません。漢字を含む書き方（例: 東町）を書いてください (\"{value}\")",
                                  {"value": value[:40]})
    return value


def _kana_reading(value: str) -> str:
    """A reading is written in kana: hiragana, katakana for loanword parts, and ー."""
    from .readings import READING
    if not READING.fullmatch(value):
        bad = next((ch for ch in value if not READING.fullmatch(ch)), "")
        raise PydanticCustomError("reading_not_kana",
                                  "読みは、ひらがな（外来語の部分はカタカナ）と「ー」だけで書いてください。"
                                  "「{bad}」は使えません (\"{value}\")", {"bad": bad, "value": value[:40]})
    return value


WrittenForm = Annotated[Text, AfterValidator(_written_form)]
Reading = Annotated[Text, AfterValidator(_kana_reading)]


class ReadingsFile(DataFile):
    readings: dict[WrittenForm, Reading] = Field(
        default_factory=dict,
        description="ページの言葉の読み（ふりがな）。「書き方: よみ」の形で、一行に一つ書きます（例: 東町: ひがしまち）。"
                    "地名・相談先の名前など、コンピューターが読めない・読み違える言葉だけを書きます。"
                    "用語集（glossary.yml）の reading もふりがなに使われます")


# ----------------------------------------------------------------------------
# Which file holds which model
# ----------------------------------------------------------------------------

FILES: dict[str, type[Model]] = {
    "site": SiteFile,
    "fields": FieldsFile,
    "offices": OfficesFile,
    "agencies": AgenciesFile,
    "hub": HubFile,
    "programs": ProgramsFile,
    "meetings": MeetingsFile,
    "cases": CasesFile,
    "support_flow": SupportFlowFile,
    "narrative": NarrativeFile,
    "accessibility": AccessibilityFile,
    "national": NationalFile,
    "search": SearchFile,
    "glossary": GlossaryFile,
    "readings": ReadingsFile,
}
OPTIONAL_FILES = {"offices", "cases", "narrative", "accessibility", "national", "search", "glossary", "readings"}

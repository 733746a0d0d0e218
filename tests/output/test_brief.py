"""`crps brief NAME`: a printable brief on a treatment, group or topic, in markdown or self-contained HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from crpscli import DATA_DATE
from crpscli.cli import app
from crpscli.evidence.files import shipped_data as builtin_data
from crpscli.output.citations import vancouver
from crpscli.output.text import NOTICE

from ..conftest import ENV

GOEBEL_VANCOUVER = (
    "Goebel A, Baranowski A, Maurer K, Ghiai A, McCabe C, Ambler G. Intravenous immunoglobulin treatment of the "
    "complex regional pain syndrome: a randomized trial. Annals of Internal Medicine. 2010;152(3):152-158."
)
PARTS = ["Summary of findings", "Details", "References"]
SECTIONS = ["What it is", "What each source says", "Where the sources disagree", "Key figures"]
ALLOWED_LINKS = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")


class Page(HTMLParser):
    """The parts of the brief a reader relies on, collected by the standard library's HTML parser."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self.all_text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in ("br", "meta"):
            self.open.append((tag, attributes))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        self.all_text.append(data)
        if self.open:
            tag, attributes = self.open[-1]
            if tag == "style":
                self.style += data
            key = tag if tag in ("h1", "h2", "h3", "h4", "title") else attributes.get("class")
            if key:
                self.text.setdefault(key, []).append(data.strip())

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def ivig_html():
    result = CliRunner().invoke(app, ["brief", "ivig", "--format", "html"], env=ENV)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_html_has_every_section_in_order(ivig_html):
    page = Page(ivig_html)
    assert page.text["h1"] == ["Intravenous immunoglobulin (IVIG)"]
    assert page.text["h2"] == PARTS
    assert page.text["h3"] == SECTIONS
    assert {"summary", "details", "ivig-what-it-is", "ivig-sources", "ivig-figures", "references"} <= page.ids()
    # Page one is the summary: the details start on a new printed page, and the summary says so.
    assert "#details { break-before: page; page-break-before: always; }" in page.style
    assert ivig_html.index('<section id="summary">') < ivig_html.index("from a new page when printed")
    assert ivig_html.index("from a new page when printed") < ivig_html.index('<section id="details">')


def test_html_has_one_section_per_source_with_its_kind(ivig_html):
    page = Page(ivig_html)
    sections = [a["id"] for a in page.of("section") if a.get("class") == "source"]
    assert sections == ["ivig-source-000", "ivig-source-001", "ivig-source-002", "ivig-source-004"]
    assert page.text["h4"][0] == "Review excerpt 000: IVIG and related treatments for CRPS (review excerpt)"
    assert page.text["h4"][3].startswith("AI-generated answer 004: ")
    assert "Kind: encyclopedic review excerpt." in page.text["meta"]
    assert "Kind: AI-generated answer." in page.text["meta"]
    # The back-pain page's claims are labelled as being about another condition.
    assert "(about back pain, not CRPS)" in page.text["flag"]


def test_html_references_are_vancouver_with_doi_and_pubmed_links(ivig_html):
    page = Page(ivig_html)
    items = re.findall(r'<li id="ref-(\d+)" value="\d+">(.*?)</li>', ivig_html)
    assert [int(n) for n, _ in items] == list(range(1, len(items) + 1))
    first = items[0][1]
    assert first.startswith(GOEBEL_VANCOUVER)
    hrefs = [a["href"] for a in page.of("a")]
    assert "https://doi.org/10.7326/0003-4819-152-3-201002020-00006" in hrefs
    assert "https://pubmed.ncbi.nlm.nih.gov/20124231/" in hrefs
    # Numbered in order of first appearance: the first claim shown cites reference 1.
    markers = [int(m) for m in re.findall(r'href="#ref-(\d+)"', ivig_html)]
    assert markers[0] == 1
    assert [n for i, n in enumerate(markers) if n not in markers[:i]] == sorted(set(markers))
    assert "No bibliographic details are known for this study." in ivig_html


def test_html_is_self_contained_and_prints(ivig_html):
    page = Page(ivig_html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "svg", "video", "audio", "base", "form"}
    assert not any("src" in attributes for _, attributes in page.tags)
    assert not any(key.startswith("on") for _, attributes in page.tags for key in attributes)
    for href in (a["href"] for a in page.of("a")):
        if href.startswith("#"):
            assert href[1:] in page.ids(), href
        else:
            assert href.startswith(ALLOWED_LINKS), href
    assert "@page" in page.style and "size: A4" in page.style
    assert "url(" not in page.style and "@import" not in page.style
    csp = next(m for m in page.of("meta") if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp["content"]


def test_html_carries_the_notice_and_the_data_date(ivig_html):
    page = Page(ivig_html)
    assert page.text["notice"] == [NOTICE, NOTICE]  # at the top and at the foot of the page
    assert f"Data of {DATA_DATE}" in " ".join(page.all_text)


def test_disagreements_name_both_sides_and_the_studies_they_rest_on(cli):
    out = cli("brief", "magnesium", "--format", "html").stdout
    # two conflicts: 000 against itself (two claims on one side, one on the other), and 001 against 000
    assert len(re.findall(r'<li class="side">', out)) == 5
    assert len(re.findall(r'≠ <strong class="conflict">Conflict:</strong>', out)) == 2
    assert (
        "patient blog 001 supports it (001-magnesium-3; citing no study) but review excerpt 000 opposes it "
        "(000-magnesium-3; citing Fischer 2013 (rct, n=56))" in out
    )
    refs = dict(re.findall(r'<li id="ref-(\d+)" value="\d+">([^<]*)', out))
    fischer = next(n for n, text in refs.items() if text.startswith("Fischer SGL"))
    assert f'rests on <a class="ref" href="#ref-{fischer}">[{fischer}]</a>' in out
    assert "(cites no study)" in out
    markdown = cli("brief", "magnesium").stdout
    assert re.findall(r"^#### (.+)$", markdown, re.M) == [
        "Review excerpt 000: IVIG and related treatments for CRPS (review excerpt)",
        "Patient blog 001: Putting Out the Flames: CRPS/RSD Treatment Options \\#2",  # '#' kept literal
    ]


def test_figures_list_how_it_is_given_first(cli):
    out = cli("brief", "intravenous ketamine infusion").stdout
    table = out.split("### Key figures", 1)[1].split("## References", 1)[0]
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[0][:2] == ["| infusion length", "2–10 days"]
    assert rows[4][:3] == ["| booster interval", "4–8 weeks", "set by severity, chronicity and response"]
    assert rows[-1][:2] == ["| percentage", "85 %"]


def test_markdown_brief_has_the_same_sections(cli):
    result = cli("brief", "LDN")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("# Low-dose naltrexone (LDN)\n")
    assert re.findall(r"^## (.+)$", out, re.M) == PARTS
    assert re.findall(r"^### (.+)$", out, re.M) == SECTIONS
    assert re.findall(r"^#### (.+)$", out, re.M) == [
        "Clinician slides 002: CRPS diagnosis and management (slide deck for patients)"
    ]
    assert "| daily dose | 1.75–4.5 mg | once a day | clinician slides 002 | 002-ldn-8 |" in out
    assert out.count(f"**{NOTICE}**") == 2
    assert f"Data of {DATA_DATE}" in out
    assert "[doi:10." in out and "](<https://doi.org/10." in out


def test_output_file_takes_html_from_its_suffix(cli, tmp_path):
    target = tmp_path / "ivig.html"
    result = cli("brief", "ivig", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["ivig.html"]
    markdown = tmp_path / "ivig.md"
    assert cli("brief", "ivig", "--output", str(markdown)).exit_code == 0
    assert markdown.read_text(encoding="utf-8").startswith("# Intravenous immunoglobulin")
    dash = cli("brief", "ivig", "-o", "-")
    assert dash.exit_code == 0 and dash.stdout.startswith("# Intravenous immunoglobulin")


def test_output_refuses_a_directory_a_missing_folder_and_data_directories(cli, tmp_path):
    result = cli("brief", "ivig", "-o", str(tmp_path))
    assert result.exit_code == 2 and result.stderr == f"crps: -o {tmp_path}: is a directory\n"
    missing = tmp_path / "no" / "such" / "brief.html"
    result = cli("brief", "ivig", "-o", str(missing))
    assert result.exit_code == 2 and "crps creates none" in result.stderr
    assert not (tmp_path / "no").exists()
    data = tmp_path / "data"
    data.mkdir()
    (data / "treatments.yaml").write_text("- {id: widget, name: Widget, category: device, summary: Made up.}\n")
    result = cli("--data", str(data), "brief", "ivig", "-o", str(data / "brief.html"))
    assert result.exit_code == 2 and "inside the data directory" in result.stderr
    assert sorted(p.name for p in data.iterdir()) == ["treatments.yaml"]
    shipped = builtin_data() / "brief.md"
    assert cli("brief", "ivig", "-o", str(shipped)).exit_code == 2
    assert not shipped.exists()


KETAMINE = [
    "Intravenous ketamine infusion",
    "Ketamine nasal spray or sublingual (troche)",
    "Oral ketamine",
    "Ketamine cream or ointment",
    "Intravenous ketamine as part of anaesthesia",
]


def test_a_group_name_gives_one_brief_with_each_members_bottom_line_first(cli):
    result = cli("brief", "ketamine")
    assert result.exit_code == 0
    assert result.stderr == 'crps: showing the 5 entries of group "ketamine" for "ketamine"\n'
    out = result.stdout
    assert out.startswith(f'# Ketamine\n\n**{NOTICE}**\n\nThis brief covers the 5 treatments of the group "ketamine": ')
    summary, details = out.split("\n## Details\n")
    # page one: each member's bottom line, in the group's order; then each member's details, in the same order
    assert re.findall(r"^### (.+)$", summary, re.M) == KETAMINE
    assert re.findall(r"^### (.+)$", details, re.M) == KETAMINE
    assert summary.count("\nAbout CRPS: ") == 5
    assert (
        "- **efficacy: pain**: clinician slides 002 supports; clinician article 003 supports "
        "(Sigtermans 2009, rct, n=60 \\[1\\])" in summary
    )
    assert "- **efficacy: overall**: clinician slides 002 opposes (also caution)" in summary  # oral ketamine
    # every disagreement `crps conflicts` finds on the group, each once (the nasal spray's conflicts,
    # the infusion's tensions)
    found = json.loads(cli("conflicts", "ketamine", "--json").stdout)
    for level, mark in (("conflict", "≠"), ("tension", "≈")):
        expected = sum(d["level"] == level for d in found)
        assert expected and len(re.findall(rf"^- {mark} {level}: ", summary, re.M)) == expected
    assert "4 sources speak about them, all of them about CRPS." in summary
    html_out = cli("brief", "ketamine", "-f", "html").stdout
    ids = re.findall(r' id="([^"]+)"', html_out)
    assert len(ids) == len(set(ids)) and "ketamine-oral-figures" in ids


def test_a_figure_the_study_record_corrects_shows_both(cli):
    out = cli("brief", "ivig").stdout
    assert (
        "| dose | 0.5 g; the study record: 0.5 g/kg \\[1\\] | single dose, as the document states it "
        "| review excerpt 000 | 000-ivig-3 |" in out
    )
    assert "| follow up | 2 weeks | period of daily pain ratings |" in out  # a figure the record does not correct
    summary = out.split("## Details")[0]
    assert "(dose units, design, protocol; dose given as 0.5 g, in the study record 0.5 g/kg)" in summary
    html_out = cli("brief", "ivig", "-f", "html").stdout
    assert '<td>0.5 g; the study record: 0.5 g/kg <a class="ref" href="#ref-1">[1]</a></td>' in html_out


def test_the_source_count_says_which_sources_are_about_crps(cli):
    out = cli("brief", "ivig").stdout
    assert (
        out.count("4 sources speak about it, 3 of them about CRPS (AI-generated answer 004 only about back pain") == 1
    )
    assert "(s)" not in out
    assert "\n1 source speaks about it; it is about CRPS. " in cli("brief", "ketamine-oral").stdout


@pytest.mark.parametrize(
    ("name", "fmt", "message"),
    [
        ("brief.pdf", None, "crps writes a brief as markdown or HTML, not .pdf"),
        ("brief.md", "html", "a .md file is not html"),
        ("brief.HTML", "markdown", "a .HTML file is not markdown"),
    ],
)
def test_output_refuses_a_suffix_of_another_kind_and_writes_nothing(cli, tmp_path, name, fmt, message):
    target = tmp_path / name
    result = cli("brief", "ivig", "-o", str(target), *(["--format", fmt] if fmt else []))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"crps: -o {target}: {message} (markdown: .md, .markdown, .txt; html: .html, .htm)\n"
    assert list(tmp_path.iterdir()) == []


def test_output_suffixes_choose_the_format_in_any_case(cli, tmp_path):
    for name, start in [("a.HTM", "<!DOCTYPE html>"), ("b.MD", "# Intravenous"), ("c", "# Intravenous")]:
        assert cli("brief", "ivig", "-o", str(tmp_path / name)).exit_code == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert cli("brief", "ivig", "-f", "html", "-o", str(tmp_path / "d")).exit_code == 0
    assert (tmp_path / "d").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_unknown_names_exit_1(cli):
    assert cli("brief", "cannabis").stderr == "crps: none of the five sources mentions 'cannabis'\n"


def test_a_misspelt_name_gets_its_brief_with_a_notice(cli):
    result = cli("brief", "magnesuim")
    assert result.exit_code == 0 and result.stdout.startswith("# Magnesium")
    assert result.stderr == 'crps: showing Magnesium for "magnesuim"\n'


def test_hostile_data_is_shown_literally(cli, tmp_path):
    (tmp_path / "treatments.yaml").write_text(
        '- {id: evil, name: "<script>alert(1)</script> *bold*", category: device,'
        ' summary: "<img src=x onerror=alert(1)> [link](http://example.com) \\e[31m"}\n'
    )
    html_out = cli("--data", str(tmp_path), "brief", "evil", "--format", "html").stdout
    page = Page(html_out)
    assert not any(t in ("script", "img") for t, _ in page.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *bold*" in html_out
    assert "\\x1b[31m" in html_out
    assert "\x1b" not in html_out
    markdown = cli("--data", str(tmp_path), "brief", "evil").stdout
    assert markdown.startswith("# \\<script\\>alert(1)\\</script\\> \\*bold\\*\n")
    assert "\\[link\\](http://example.com)" in markdown
    assert "No source makes a claim about this treatment." in markdown


def record(**fields):
    base = {"authors": [], "title": None, "journal": None, "year": None, "volume_pages": None, "doi": None}
    return SimpleNamespace(**{**base, "pmid": None, **fields})


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"authors": [f"Author{n} A" for n in range(1, 8)], "title": "T", "journal": "J", "year": 2001}, None),
        ({"authors": ["Binkley"], "year": 2012}, "Binkley. 2012."),
        ({"title": "Does it work?", "journal": "Pain", "volume_pages": "4:9"}, "Does it work? Pain. 4:9."),
        ({}, ""),
    ],
)
def test_vancouver_uses_only_the_fields_the_record_has(fields, text):
    written, links = vancouver(record(**fields))
    if text is None:  # more than six authors: the first six, then et al.
        assert written.startswith(
            "Author1 A, Author2 A, Author3 A, Author4 A, Author5 A, Author6 A, et al. T. J. 2001."
        )
        assert "Author7" not in written
    else:
        assert written == text
    assert links == []


def test_vancouver_links_doi_and_pmid():
    _, links = vancouver(record(doi="10.1000/a<b>", pmid="123"))
    assert [(link.label, link.url) for link in links] == [
        ("doi:10.1000/a<b>", "https://doi.org/10.1000/a%3Cb%3E"),
        ("PMID: 123", "https://pubmed.ncbi.nlm.nih.gov/123/"),
    ]

"""Links pasted into a question: a legislation.gov.uk or GOV.UK address names what it points to.

"https://www.legislation.gov.uk/ukpga/2012/3/section/1" on its own says "section 1 of
the Social Value Act" to a person; to the matcher it is noise. The knowledge's own
sources say which document each address is, so a pasted address is read as the title
of the source at that address. Otherwise a government address is read as its path reads:
a GOV.UK (or gov.wales, gov.scot, NHS) page's path is its title in words
("/government/publications/ppn-002-taking-account-of-social-value-in-the-award-of-contracts"),
and a legislation.gov.uk path names the provision ("section 149") of the document its
nearest source above or below belongs to ("/section/1/enacted" is section 1; "/ukpga/2012/3"
is the Act every "/ukpga/2012/3/..." source belongs to). Any other address is dropped, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.knowledge.schema import Entry

# A link as Slack sends it (<url> or <url|label>) or as pasted (bare).
_LINK = re.compile(r"<(https?://[^>|\s]+)(?:\|([^>]*))?>|\bhttps?://[^\s<>]+")
# Endings that name a version or format of the same page, not a different one.
_VERSIONS = {"contents", "made", "enacted", "data.pdf", "data.htm", "data.html", "data.xml", "introduction"}
# legislation.gov.uk paths: /type/year/number[/section/N | /regulation/N | /schedule/N ...].
# How deep an address must stay to name one document: /ukpga/2012/3, /government/publications/ppn-002.
DOCUMENT_DEPTH = 3
# A shared title shorter than this ("GOV.UK") names no document.
MIN_DOCUMENT = 12
_PROVISION = re.compile(r"^(?:section|regulation|schedule|article|part|paragraph)$")
LEGISLATION = "legislation.gov.uk"
# Government sites whose addresses are page titles in words; a site's subdomains too (www., assets.publishing.service.).
SLUG_SITES = ("gov.uk", "gov.wales", "gov.scot", "nhs.uk")
# A path segment that is words: two or more joined by hyphens or underscores, perhaps a file name.
_SLUG = re.compile(r"([a-z0-9]+(?:[-_][a-z0-9]+)+)(?:\.[a-z]{2,4})?")
# "This" standing for the link a question comes with: "does this apply to councils? <url>", "is this
# mandatory?", "what does this mean". Before a noun it is something else ("should we split this contract"),
# and "it" or "that" mostly stands for words of the question ("or just think about it").
_POINTER = re.compile(
    r"\b(?:this|these)\s*(?:$|[?!.,:;]|(?:is|are|was|were|does|do|has|have|will|would|can|could|should|must|"
    r"apply|applies|mean|means|say|says|cover|covers|affect|affects|require|requires|replace|replaces|"
    r"still|also|mandatory|binding|relevant|right|correct|current)\b)"
    # Or asked to be put in other words: "can someone explain this in plain english", "summarise it for me",
    # "give me the gist", "tldr?".
    r"|\b(?:explain|summarise|summarize|simplify|translate|unpack|decode|paraphrase)\s+(?:this|these|it)\b"
    r"|\b(?:gist|tldr|tl;dr)\b"
)
# A word in a slug that says the format of the page, not what it is about.
_FORMAT_WORDS = {"html", "pdf"}
# A procurement policy note numbered as its address spells it ("ppn-0620", "procurement-policy-note-0620"):
# "PPN 06/20", as it is written everywhere else.
_NOTE_NUMBER = re.compile(r"\b(ppn|procurement policy note) (\d\d)(\d\d)\b")
# The words of any address's path ("https://www.acas.org.uk/tupe" -> "tupe").
_ADDRESS_WORD = re.compile(r"[a-z]+")


def link_key(url: str) -> str | None:
    """``host/path`` of an http(s) address, lower-case, without ``www.``, versions or a trailing slash."""
    try:
        parts = urlsplit(url.strip().rstrip(".,;:!?)"))
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    while segments and segments[-1] in _VERSIONS:
        segments.pop()
    return "/".join([host, *segments])


def _document(titles: list[str]) -> str:
    """The document several sources' titles share, word for word ("X Act 2012, s.1" and
    "X Act 2012, notes" -> "X Act 2012"); else the first title up to its first comma."""
    shared: list[str] = []
    if len(titles) > 1:
        for words in zip(*(t.split() for t in titles), strict=False):
            if len(set(words)) > 1:
                break
            shared.append(words[0])
    common = " ".join(shared).rstrip(",(")
    return common if len(common) >= MIN_DOCUMENT else titles[0].split(",")[0]


class LinkReader:
    """Reads the addresses in a question as the titles of the knowledge's sources."""

    def __init__(self, entries: Iterable[Entry]):
        self._titles: dict[str, str] = {}
        for entry in entries:
            for source in entry.sources:
                key = link_key(source.url) if source.url else None
                if key:
                    self._titles.setdefault(key, source.title)

    def read(self, url: str) -> str:
        """Words for one address: its source's title, else the document it belongs to and what its path names."""
        key = link_key(url)
        if key is None:
            return ""
        if key in self._titles:
            return self._titles[key]
        if _slug_site(key.partition("/")[0]):
            return _slug_words(key)
        return f"{self._document_of(key)} {_path_words(key)}".strip()

    def _document_of(self, key: str) -> str:
        """The document the address is part of: a source above it (its Act), else the sources
        beside or below it, looking no higher than DOCUMENT_DEPTH path segments."""
        host, *segments = key.split("/")
        for depth in range(len(segments), DOCUMENT_DEPTH - 1, -1):
            prefix = "/".join([host, *segments[:depth]])
            if prefix != key and prefix in self._titles:
                return _document([self._titles[prefix]])
            below = [t for k, t in self._titles.items() if k.startswith(prefix + "/")]
            if below:
                return _document(below)
        return ""

    def pointed_at(self, text: str) -> bool:
        """Whether the words of ``text`` point at a link in it that only its address names, so that
        the link says what is asked (a Slack link's label already names it in the person's words)."""
        if "http" not in text:
            return False
        bare = [m.group(1) or m.group(0) for m in _LINK.finditer(text) if not m.group(2)]
        return bool(_POINTER.search(_LINK.sub(" ", text).lower())) and any(self.read(url) for url in bare)

    def read_all(self, text: str) -> list[str]:
        """What each address in ``text`` names, for those that name something."""
        found = (self.read(m.group(1) or m.group(0)) for m in _LINK.finditer(text)) if "http" in text else ()
        return [words for words in found if words]

    def address_words(self, text: str) -> str:
        """The words of every address's path in ``text``, whatever the site: enough to tell a subject svbot
        does not cover ("https://www.acas.org.uk/tupe"), never to answer from."""
        if "http" not in text:
            return ""
        keys = (link_key(m.group(1) or m.group(0)) for m in _LINK.finditer(text))
        return " ".join(w for key in keys if key for w in _ADDRESS_WORD.findall(key.partition("/")[2]))

    def expand(self, text: str) -> str:
        """``text`` with every address replaced by what it names (a Slack link keeps its label too)."""
        if "http" not in text:
            return text
        return _LINK.sub(lambda m: f" {self.read(m.group(1) or m.group(0))} {m.group(2) or ''} ", text)


def _slug_site(host: str) -> bool:
    """Whether ``host`` is a government site that titles its pages in their addresses (not legislation.gov.uk)."""
    return host != LEGISLATION and any(host == site or host.endswith(f".{site}") for site in SLUG_SITES)


def _slug_words(key: str) -> str:
    """A page's title as its path spells it: the last words segment whole ("annex-a-html" -> "annex a"),
    after the words of the segments above it that it leaves out (the publication it is part of)."""
    slugs = [m.group(1) for m in map(_SLUG.fullmatch, key.split("/")[1:]) if m]
    if not slugs:
        return ""
    page, *above = ([w for w in re.split(r"[-_]", slug) if w not in _FORMAT_WORDS] for slug in reversed(slugs))
    words = [w for segment in reversed(above) for w in segment if w not in page]
    return _NOTE_NUMBER.sub(r"\1 \2/\3", " ".join(words + page))


def _path_words(key: str) -> str:
    """What a legislation.gov.uk path names in words ("section 149"); nothing for other sites."""
    host, _, path = key.partition("/")
    if host != LEGISLATION:
        return ""
    segments = path.split("/")
    words = [f"{segments[i]} {segments[i + 1]}" for i in range(3, len(segments) - 1) if _PROVISION.match(segments[i])]
    return " ".join(words)

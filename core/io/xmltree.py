"""A small element tree for result feeds, from XML (safely) or from NIST JSON.

XML is parsed with expat directly, as defusedxml does: a document type
declaration or an entity declaration is refused outright, so no entity is ever
expanded (no "billion laughs") and nothing outside the file is ever fetched.
Every node keeps its line, so an error names the place in the file.

NIST SP 1500-100 JSON is turned into the same tree (an object's ``@type`` becomes
the node's type, ``@id`` its ObjectId, each property a child), so one reader
serves the XML and the JSON form of a feed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import FormatError

if TYPE_CHECKING:
    from xml.parsers.expat import XMLParserType

XSI = "http://www.w3.org/2001/XMLSchema-instance"


# Shared by the many leaf nodes with no children or text (memory); a node's first child or
# text part replaces it with a list of its own.
_NONE: tuple[()] = ()


class Node:
    __slots__ = ("tag", "attrs", "children", "parts", "line", "path")

    def __init__(self, tag: str, attrs: dict[str, str], line: int | None, path: str | None = None):
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node] | tuple[()] = _NONE
        self.parts: list[str] | tuple[()] = _NONE
        self.line = line
        self.path = path

    def add(self, child: Node) -> None:
        if isinstance(self.children, tuple):
            self.children = []
        self.children.append(child)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def where(self) -> int | str:
        """The line for XML, the JSON path for JSON."""
        return self.line if self.line is not None else (self.path or "?")

    def items(self, *names: str) -> Iterator[Node]:
        """Children named NAMES, looking through ``…Collection`` wrappers (NIST v1 style)."""
        for c in self.children:
            if c.tag in names:
                yield c
            elif c.tag.endswith("Collection") or c.tag == "ExternalIdentifiers":
                yield from (g for g in c.children if g.tag in names)

    def first(self, *names: str) -> Node | None:
        return next(self.items(*names), None)

    def value(self, *names: str) -> str | None:
        node = self.first(*names)
        return node.text if node is not None else None

    def ids(self, *names: str) -> list[str]:
        """An IDREFS value: space-separated in XML, a list in JSON."""
        return [i for n in self.items(*names) for i in n.text.split()]

    @property
    def oid(self) -> str | None:
        a = self.attrs
        return a.get("ObjectId") or a.get("objectId") or a.get("@id")

    @property
    def xtype(self) -> str:
        """The concrete type (``xsi:type`` in XML, ``@type`` in JSON), without prefixes."""
        t = self.attrs.get("xsi-type", "")
        return t.rsplit(":", 1)[-1].rsplit(".", 1)[-1]


def safe_parser(name: str, namespaces: bool = True) -> XMLParserType:
    """An expat parser that refuses a DOCTYPE, entity declarations and external entities."""
    import xml.parsers.expat as expat

    parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()

    def refuse(*_args: Any) -> NoReturn:
        raise FormatError(
            "the XML declares a document type or entities; elect refuses them for safety",
            file=name,
            line=parser.CurrentLineNumber,
            hint="result feeds need no DOCTYPE; remove it",
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    return parser


def run_parser(parser, data: bytes, name: str) -> None:
    """Feed DATA to PARSER; malformed XML becomes a one-line FormatError with its line."""
    import xml.parsers.expat as expat

    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise FormatError(
            f"malformed XML: {expat.errors.messages[exc.code]}",
            file=name,
            line=exc.lineno,
            hint="the file may be truncated or still being written",
        ) from exc


def parse_xml(data: bytes, name: str) -> Node:
    parser = safe_parser(name)
    stack: list[Node] = []
    root: list[Node] = []

    xsi_type = f"{XSI} type"

    def start(tag: str, attrs: dict[str, str]) -> None:
        if " " in tag:
            tag = tag.rsplit(" ", 1)[-1]
        for k in attrs:
            if " " in k:  # namespaced attributes (xsi:type): rare, so the slow path
                attrs = {
                    ("xsi-type" if k == xsi_type else k.rsplit(" ", 1)[-1]): v
                    for k, v in attrs.items()
                }
                break
        node = Node(tag, attrs, parser.CurrentLineNumber)
        if stack:
            up = stack[-1]
            if isinstance(up.children, tuple):
                up.children = [node]
            else:
                up.children.append(node)
        else:
            root.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            top = stack[-1]
            if isinstance(top.parts, tuple):
                top.parts = []
            top.parts.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    run_parser(parser, data, name)
    if not root:
        raise FormatError("no XML element", file=name, hint="is this the right file?")
    return root[0]


def from_json(doc: Any, tag: str = "ElectionReport", path: str = "$") -> Node:
    """A NIST JSON object as a tree; scalars become nodes with text."""
    if not isinstance(doc, dict):
        node = Node(tag, {}, None, path)
        node.parts = ["" if doc is None else _scalar(doc)]
        return node
    attrs = {}
    if isinstance(doc.get("@type"), str):
        attrs["xsi-type"] = doc["@type"]
    if doc.get("@id") is not None:
        attrs["ObjectId"] = str(doc["@id"])
    if "Language" in doc and "Content" in doc:  # a LanguageString
        node = Node(tag, {"Language": str(doc["Language"])}, None, path)
        node.parts = [str(doc["Content"])]
        return node
    node = Node(tag, attrs, None, path)
    for k, v in doc.items():
        if k.startswith("@"):
            continue
        if isinstance(v, list):
            for i, item in enumerate(v):
                node.add(from_json(item, k, f"{path}.{k}[{i}]"))
        else:
            node.add(from_json(v, k, f"{path}.{k}"))
    return node


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)

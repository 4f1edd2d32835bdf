"""JSON is written as it is encoded: the bytes of json.dumps, and -o streams to a file
beside the target that replaces it only when the run ends (issue 14)."""

from __future__ import annotations

import io
import json
import os

from conftest import invoke
from elect.cli.json_out import BLOCK, write_json
from elect.cli.names import json_text


def test_same_bytes_as_dumps_across_blocks():
    rows = [
        {
            "id": f"u{i}",
            "name": f"Ünit \x1b[31m{i}\u202e\x85",
            "votes": [i, None, 1.5],
            "ok": i % 2 == 0,
        }
        for i in range(3000)
    ]
    doc = {"kind": "results", "rows": rows, "empty": {}, "none": [], "text": "\u2028"}
    out = io.StringIO()
    write_json(doc, out)
    text = out.getvalue()
    assert len(text) > 4 * BLOCK  # written in several blocks
    assert text == json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n"
    assert "\x1b" not in text and "\u202e" not in text and "\x85" not in text
    assert json.loads(text) == doc


def test_output_file_replaced_only_after_a_run_that_ended(runner, tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    res = invoke(runner, "report", "--json", "-c", "no-such-contest", "-o", str(target))
    assert res.exit_code == 2
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary left
    res = invoke(runner, "report", "--json", "-o", str(target))
    assert res.exit_code == 0
    written = target.read_text(encoding="utf-8")
    assert written == invoke(runner, "report", "--json").stdout
    assert json.loads(written)["kind"] == "report"
    assert os.stat(target).st_mode & 0o777 == 0o640  # the replaced file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]

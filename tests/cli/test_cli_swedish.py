"""The command line is Swedish throughout, including argparse's own words."""

from __future__ import annotations

import re

import pytest

from auditor.cli import main

ENGLISH = re.compile(
    r"usage:|positional arguments|options:|optional arguments|show this help|show program|"
    r"the following arguments|unrecognized arguments|invalid choice|expected one argument|"
    r"error:",
)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["run", "--help"], ["generate", "--help"], ["rules", "--help"],
     ["review", "--help"], ["history", "--help"], ["explain", "--help"], ["evaluate", "--help"]],
)
def test_help_is_swedish(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: auditor")
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run"], "auditor: fel: följande argument krävs: INDATA"),
        (["run", "x", "--okänd"], "auditor: fel: okända argument: --okänd"),
        (["run", "x", "--out"], "auditor: fel: argument --out: flaggan behöver ett värde"),
        (["finns-inte"], "auditor: fel: argument KOMMANDO: ogiltigt val: 'finns-inte'"),
    ],
)
def test_usage_errors_are_swedish(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert not ENGLISH.search(err.replace("fel:", "")), err

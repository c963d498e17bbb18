"""Hypothesis strategies shared by the importers' fuzz tests."""

from hypothesis import strategies as st


def near_valid_files(valid: str, *, noise, header_names: list[str], max_delete: int = 20,
                     max_header: int = 6):
    """Files like ``valid`` with a few small edits: characters, cells, lines or header
    changed, truncated or a row duplicated; as text or as UTF-8 bytes."""

    @st.composite
    def near_valid(draw):
        text = valid
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(["insert", "delete", "cell", "line", "truncate",
                                         "duplicate", "header"]))
            lines = text.split("\n")
            if kind == "insert":
                at = draw(st.integers(0, len(text)))
                text = text[:at] + draw(noise | st.text(max_size=5)) + text[at:]
            elif kind == "delete" and text:
                at = draw(st.integers(0, len(text) - 1))
                text = text[:at] + text[at + draw(st.integers(1, max_delete)):]
            elif kind == "cell" and len(lines) > 1:
                n = draw(st.integers(1, len(lines) - 1))
                cells = lines[n].split(",")
                cells[draw(st.integers(0, len(cells) - 1))] = draw(noise | st.text(max_size=8))
                lines[n] = ",".join(cells)
                text = "\n".join(lines)
            elif kind == "line" and len(lines) > 1:
                lines[draw(st.integers(1, len(lines) - 1))] = draw(st.text(max_size=30))
                text = "\n".join(lines)
            elif kind == "truncate":
                text = text[:draw(st.integers(0, len(text)))]
            elif kind == "duplicate" and len(lines) > 1:
                lines.append(lines[draw(st.integers(1, len(lines) - 1))])
                text = "\n".join(lines)
            elif kind == "header":
                lines[0] = ",".join(draw(st.lists(st.sampled_from(header_names),
                                                  max_size=max_header)))
                text = "\n".join(lines)
        return text.encode("utf-8") if draw(st.booleans()) else text

    return near_valid()


def any_files(near_valid):
    """Arbitrary bytes, arbitrary text, or near-valid files."""
    return st.binary(max_size=400) | near_valid | st.text(max_size=300)


def assert_refused_cleanly(parsed) -> None:
    """A refused file returns no rows, and every problem names a line and says something."""
    assert parsed.rows.empty
    for error in parsed.errors:
        assert isinstance(error.line, int) and error.line >= 1
        assert str(error.message).strip()

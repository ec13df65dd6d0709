"""Reading the text of the PDFs the app makes (WeasyPrint output), for tests of certificates, paper forms
and the trainer kit; a few regular expressions instead of a PDF library."""

import re
import zlib


def pdf_objects(data: bytes) -> dict:
    """``{number: (dictionary, stream or None)}`` of every object, those packed in object streams too."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\s*", data):
        start, end = match.end(), data.find(b"endobj", match.end())
        at = data.find(b"stream", start, end)
        if at == -1:
            objects[int(match[1])] = (data[start:end], None)
            continue
        head = data[start:at]
        begin = at + len(b"stream") + (2 if data[at + 6:at + 8] == b"\r\n" else 1)
        payload = data[begin:begin + int(re.search(rb"/Length (\d+)", head)[1])]
        if b"/FlateDecode" in head:
            payload = zlib.decompress(payload)
        objects[int(match[1])] = (head, payload)
    for head, payload in list(objects.values()):
        if b"/Type /ObjStm" in head:
            first = int(re.search(rb"/First (\d+)", head)[1])
            numbers = [int(n) for n in payload[:first].split()]
            offsets = [*numbers[1::2], len(payload) - first]
            for index, number in enumerate(numbers[0::2]):
                objects[number] = (payload[first + offsets[index]:first + offsets[index + 1]], None)
    return objects


def pdf_text(data: bytes) -> tuple[str, int]:
    """The text a PDF draws, decoded font by font through its ToUnicode maps, and its number of pages.

    A page with Latin and Cyrillic subsets of Noto Sans has glyph numbers that collide, so each run of
    text is decoded through the map of the font it is drawn with.
    """
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    objects = pdf_objects(data)
    assert any(b"/FontFile" in head for head, _stream in objects.values())  # the shipped Noto Sans is embedded
    maps = {}
    for number, (head, _stream) in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if found:
            cmap = objects[int(found[1])][1]
            maps[number] = {
                glyph.decode().lower(): bytes.fromhex(text.decode()).decode("utf-16-be")
                for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S)
                for glyph, text in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block)
            }
    names = {}
    for head, _stream in objects.values():
        blocks = re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        blocks += [objects[int(number)][0] for number in re.findall(rb"/Font (\d+) 0 R", head)]
        for block in blocks:
            for name, number in re.findall(rb"/([^\s/]+)\s+(\d+) 0 R", block):
                names[name] = maps.get(int(number), {})
    shown, glyphs = [], {}
    for _head, stream in objects.values():
        if not stream or b"Tf" not in stream:
            continue
        for font, array, single in re.findall(
            rb"/([^\s/\[<]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj", stream, re.S
        ):
            if font:
                glyphs = names.get(font, {})
                continue
            for hexes in re.findall(rb"<([0-9a-fA-F]+)>", array or b"<" + single + b">"):
                hexes = hexes.decode().lower()
                width = 4 if len(hexes) % 4 == 0 else 2
                shown.append("".join(glyphs.get(hexes[i:i + width], "?") for i in range(0, len(hexes), width)))
    pages = sum(1 for head, _stream in objects.values() if re.search(rb"/Type\s*/Page\b", head))
    return "".join(shown), pages

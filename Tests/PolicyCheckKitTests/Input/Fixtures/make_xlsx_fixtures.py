#!/usr/bin/env python3
"""Writes the .xlsx fixtures of XLSXReaderTests (run once; the outputs are committed).

openpyxl writes the workbooks; what it does not write as Excel does is patched afterwards: the
first sheet's strings move to a shared-strings part (openpyxl 3.1 writes inline strings), and
formulas' cached values, an inline rich string and a number as Excel spells it are put in.
Needs: pip install openpyxl
"""
import datetime
import os
import re
import zipfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))


def patch(path, part, replacements):
    """Rewrites one part of a zip, applying (pattern, replacement) regex pairs that must each match once."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == part:
                text = data.decode("utf-8")
                for pattern, replacement in replacements:
                    text, count = re.subn(pattern, replacement, text)
                    assert count == 1, (pattern, count)
                data = text.encode("utf-8")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def share_strings(path, sheet_part, phonetic):
    """Moves the inline strings of one sheet to xl/sharedStrings.xml, as Excel writes them;
    `phonetic` maps a string to a phonetic guide (rPh) that Excel stores beside it."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    strings = []

    def share(match):
        inner = match.group(2)
        if inner not in strings:
            strings.append(inner)
        return '<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), strings.index(inner))

    parts = {}
    for info, data in items:
        text = data.decode("utf-8") if info.filename.endswith((".xml", ".rels")) else None
        if info.filename == sheet_part:
            text = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is>(.*?)</is></c>', share, text)
        elif info.filename == "[Content_Types].xml":
            text = text.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                                '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        elif info.filename == "xl/_rels/workbook.xml.rels":
            text = text.replace("</Relationships>", '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                                'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        parts[info.filename] = text.encode("utf-8") if text is not None else data
    items_xml = "".join("<si>%s%s</si>" % (s, phonetic.get(s, "")) for s in strings)
    parts["xl/sharedStrings.xml"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
        % (len(strings), len(strings), items_xml)).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def basic():
    wb = openpyxl.Workbook()
    people = wb.active
    people.title = "名单"
    people.append(["编号", "姓名", "日期", "金额", "通过", "备注", "内联", "公式"])
    people.append(["A-1", "张三", datetime.date(2024, 3, 5), 1234.5, True,
                   CellRichText([TextBlock(InlineFont(b=True), "加粗"), "与普通"]), 999001, 999002])
    people.append(["A-2", "李四", datetime.datetime(2024, 12, 31, 23, 59, 59), 0.1, False,
                   "  A&B <c>  ", None, 999003])
    # row 4 stays blank
    people["A5"] = "A-3"
    people["C5"] = datetime.date(2022, 4, 10)
    people["C5"].number_format = 'yyyy"年"m"月"d"日"'
    people["D5"] = 999004
    people["F5"] = "#N/A"
    people["A6"] = "A-4"
    people["B6"] = "绍兴市人民政府"
    people["E6"] = 999005

    dates = wb.create_sheet("日期")
    cases = [
        (59, "mm-dd-yy"),             # built-in 14
        (60, "mm-dd-yy"),
        (61, "mm-dd-yy"),
        (45356, "yyyy/m/d"),          # custom
        (45356.5, "m/d/yy h:mm"),     # built-in 22
        (45356, "0.00"),              # a number format
        (45356, '[$-804]yyyy"年"m"月"d"日"'),
        (45356, '#,##0 "days"'),      # the d is quoted text
        (1234.5, "General"),
    ]
    for row, (value, number_format) in enumerate(cases, start=1):
        dates.cell(row=row, column=1, value=value).number_format = number_format
    path = os.path.join(HERE, "basic.xlsx")
    wb.save(path)
    share_strings(path, "xl/worksheets/sheet1.xml",
                  {"<t>绍兴市人民政府</t>": '<rPh sb="0" eb="2"><t>しょうこう</t></rPh>'})
    patch(path, "xl/worksheets/sheet1.xml", [
        (r'<c r="G2"( s="\d+")?( t="n")?><v>999001</v></c>',
         '<c r="G2" t="inlineStr"><is><r><t>内联</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 文本</t></r></is></c>'),
        (r'<c r="H2"( s="\d+")?( t="n")?><v>999002</v></c>',
         '<c r="H2"><f>D2*2</f><v>2469</v></c>'),
        (r'<c r="H3"( s="\d+")?( t="n")?><v>999003</v></c>',
         '<c r="H3" t="str"><f>A3&amp;"x"</f><v>A-2x</v></c>'),
        (r'<c r="D5"( s="\d+")?( t="n")?><v>999004</v></c>',
         '<c r="D5"><v>1.50</v></c>'),
        (r'<c r="E6"( s="\d+")?( t="n")?><v>999005</v></c>',
         '<c r="E6"><f>1/0</f><v>1.0E+20</v></c>'),
    ])


def mac1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    sheet = wb.active
    sheet.title = "Sheet1"
    sheet.append(["日期"])
    sheet.append([datetime.date(2024, 3, 5)])
    sheet.append([datetime.date(1904, 1, 1)])
    wb.save(os.path.join(HERE, "date1904.xlsx"))


def damaged():
    with open(os.path.join(HERE, "basic.xlsx"), "rb") as source:
        data = source.read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as target:
        target.write(data[: len(data) // 2])
    with open(os.path.join(HERE, "not-a-zip.xlsx"), "wb") as target:
        target.write("编号,姓名\nA-1,张三\n".encode("utf-8"))


if __name__ == "__main__":
    basic()
    mac1904()
    damaged()

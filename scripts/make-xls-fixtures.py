#!/usr/bin/python3
"""Write the legacy Excel (.xls, BIFF8) fixtures of desktop/importer.

Run from the repository root with Debian's python3-xlwt (xlwt 1.3.0):

    /usr/bin/python3 scripts/make-xls-fixtures.py

The files are committed, so tests do not need Python. The people are
invented: the ID numbers are synthetic with valid check digits.
"""

import datetime
import os
import struct

import xlwt

OUT = os.path.join("desktop", "importer", "testdata", "xls")

HEADER = ["姓名", "身份证号", "性别", "专业代码", "毕业年份", "手机号码", "毕业日期"]

# Name, ID number, gender, major code, year, phone, graduation date.
PEOPLE = [
    ("张三", "36010220030514001X", "男", "530302", 2024, "13807912345", datetime.date(2024, 6, 30)),
    ("李四", "36012120020101099X", "女", "530302", 2024, "13907971111", datetime.date(2024, 6, 28)),
    ("阿依古丽·买买提", "360102200106300025", "女", "530302", 2023, "15879100000", datetime.date(2023, 7, 1)),
]

DATE = xlwt.easyxf(num_format_str="yyyy-mm-dd")
DATE_CN = xlwt.easyxf(num_format_str='yyyy"年"m"月"d"日"')
MONTH_CN = xlwt.easyxf(num_format_str='yyyy"年"m"月"')


def graduates():
    """Three graduates on the second sheet, below a merged title row and
    an empty first sheet, with the year and phone stored as numbers."""
    wb = xlwt.Workbook(encoding="utf-8")
    wb.add_sheet("说明")
    ws = wb.add_sheet("毕业生名单")
    ws.write_merge(0, 0, 0, len(HEADER) - 1, "2024届毕业生名单")
    for c, h in enumerate(HEADER):
        ws.write(1, c, h)
    for r, p in enumerate(PEOPLE, start=2):
        for c, v in enumerate(p):
            if c == 6:
                ws.write(r, c, v, DATE)
            elif c in (4, 5):
                ws.write(r, c, int(v))
            else:
                ws.write(r, c, v)
    wb.save(os.path.join(OUT, "graduates.xls"))


def id_as_number():
    """Write an ID number typed as a number, which Excel rounded, between
    two valid rows."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for c, h in enumerate(HEADER[:3]):
        ws.write(0, c, h)
    ws.write(1, 0, "张三")
    ws.write(1, 1, "36010220030514001X")
    ws.write(1, 2, "男")
    ws.write(2, 0, "王五")
    ws.write(2, 1, 360102200305140000.0)
    ws.write(2, 2, "男")
    ws.write(3, 0, "李四")
    ws.write(3, 1, "36012120020101099X")
    ws.write(3, 2, "女")
    wb.save(os.path.join(OUT, "id-as-number.xls"))


def dates(date1904):
    """2003-05-14 as a date cell in two formats and as a month, then the
    text 2003.05, and the serial as a plain number."""
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = date1904
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "格式")
    ws.write(0, 1, "日期")
    day = datetime.date(2003, 5, 14)
    ws.write(1, 0, "yyyy-mm-dd")
    ws.write(1, 1, day, DATE)
    ws.write(2, 0, "年月日")
    ws.write(2, 1, day, DATE_CN)
    ws.write(3, 0, "年月")
    ws.write(3, 1, day, MONTH_CN)
    ws.write(4, 0, "文本")
    ws.write(4, 1, "2003.05")
    ws.write(5, 0, "数字")
    ws.write(5, 1, 36293 if date1904 else 37755)
    name = "dates-1904.xls" if date1904 else "dates.xls"
    wb.save(os.path.join(OUT, name))


def long_strings():
    """More Chinese and ASCII text than one SST record holds, so that the
    shared strings continue in CONTINUE records, some strings split
    across them."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "序号")
    ws.write(0, 1, "文本")
    for i in range(1, 3001):
        ws.write(i, 0, i)
        if i % 2:
            ws.write(i, 1, "江西财经大学计算机科学与技术专业第%d号" % i)
        else:
            ws.write(i, 1, "ascii text number %d" % i)
    wb.save(os.path.join(OUT, "long-strings.xls"))


def formula_and_latin1():
    """Write a formula whose cached result is the number 2024, and a text
    cell of Latin-1 characters only, which BIFF8 stores one byte a
    character.

    xlwt writes no formula results (Excel computes them on opening), so
    the result bytes of the FORMULA record are patched afterwards: row 1,
    column 2, format 17, result 0xFFFF000000000003 (an empty string)."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for c, h in enumerate(["姓名", "身份证号", "毕业年份", "工作单位"]):
        ws.write(0, c, h)
    ws.write(1, 0, "张三")
    ws.write(1, 1, "36010220030514001X")
    ws.write(1, 2, xlwt.Formula("2020+4"))
    ws.write(1, 3, "Café·Zoë")
    path = os.path.join(OUT, "formula-latin1.xls")
    wb.save(path)

    data = open(path, "rb").read()
    empty = struct.pack("<3HQ", 1, 2, 17, 0xFFFF000000000003)
    assert data.count(empty) == 1, "FORMULA record not found once"
    data = data.replace(empty, struct.pack("<3Hd", 1, 2, 17, 2024.0))
    open(path, "wb").write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    graduates()
    id_as_number()
    dates(False)
    dates(True)
    long_strings()
    formula_and_latin1()


if __name__ == "__main__":
    main()

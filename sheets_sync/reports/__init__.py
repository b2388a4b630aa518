"""Standalone reports of the partner tabs: an offline HTML page with inline SVG charts.

`html_page` renders tabs to one French page, `blocks` cuts each tab into the tables a reader
sees, `svg_charts` draws their charts. Pure: tabs in, text out; the report workbook is the
Excel backend's (`backends/excel/report_book`).
"""

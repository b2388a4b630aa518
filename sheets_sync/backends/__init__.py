"""The only code that touches spreadsheet files, their libraries (openpyxl, xlsxwriter,
calamine, gspread, google-auth) or the network.

`excel/` (workbooks: read, render, graft, template), `google/` (Sheets API v4: read, publish,
template), `files/` (locks, package guard, raw zip copies, OS reasons). Backends import the
shared plain data (`cells`, `config`, `errors`) and nothing from the stages.
"""

"""The plain data every stage and backend shares: grids read, tabs to write, A1 addresses.

`grid` (Grid, GeneratedTab, OutCell, Chart), `a1` (cell addresses as the principal sees
them), `links` (which links a generated cell may keep); `lazy` (names of a package loaded on first
use). Imports nothing else of the package.
"""

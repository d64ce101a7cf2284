"""What a reader gets from a chart of portal/core/charts.py: its SVG, title, description and table."""

from bs4 import BeautifulSoup


def chart_of(html, chart_id):
    """The chart `chart_id` of the page: its SVG, the title and description it is named by, the table's
    header and rows ({first cell: [other cells]}), and its figure."""
    soup = BeautifulSoup(html, "html.parser")
    svg = soup.find("svg", attrs={"aria-labelledby": f"{chart_id}-title"})
    assert svg is not None, f"no chart {chart_id}"
    figure = svg.find_parent("figure")
    table = figure.find("table")
    head = [cell.get_text(strip=True) for cell in table.find("thead").find_all("th")]
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }
    return {
        "svg": svg,
        "title": svg.find("title", id=f"{chart_id}-title").get_text(),
        "desc": svg.find("desc", id=f"{chart_id}-desc").get_text(),
        "caption": table.caption.get_text(strip=True),
        "head": head,
        "rows": rows,
        "figure": figure,
    }


def either(french, english):
    """The French sentence once the catalogue is compiled, or the English msgid before."""
    return {french, english}

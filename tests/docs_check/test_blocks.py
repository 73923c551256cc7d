"""markdown-it's tokens become headings, text lines, tables and code blocks, each with its line."""

from __future__ import annotations

from finchat_wrapper._docs_check._blocks import Code, Heading, Row, Table, Text, blocks


def test_headings_keep_their_level_and_plain_text() -> None:
    assert blocks("# 一\n\n###### `六` 级\n") == [Heading(1, "一", 1), Heading(6, "六 级", 3)]


def test_each_line_of_a_paragraph_is_a_text_block_bold_when_the_whole_line_is_strong() -> None:
    text = "**请求方式：POST**\n**请求地址：/api/x**\n需要将地址设为 **/api/y**\n"
    assert blocks(text) == [
        Text("请求方式：POST", True, 1),
        Text("请求地址：/api/x", True, 2),
        Text("需要将地址设为 /api/y", False, 3),
    ]


def test_list_items_are_text_lines_too() -> None:
    assert blocks("* 参数优先级为：name\n* 指定了\n") == [
        Text("参数优先级为：name", False, 1),
        Text("指定了", False, 2),
    ]


def test_a_table_right_under_a_label_without_a_blank_line_is_a_table_with_row_lines() -> None:
    text = "**请求参数说明：**\n| 参数 | 类型 |\n| --- | --- |\n| `app_id` | [string] |\n"
    assert blocks(text) == [
        Text("请求参数说明：", True, 1),
        Table(("参数", "类型"), (Row(("app_id", "[string]"), 4),), 2),
    ]


def test_a_line_a_table_absorbs_without_a_bar_is_given_back_as_text() -> None:
    text = "| key | value |\n| --- | --- |\n| Authorization | Basic x |\n需要base64编码\n"
    assert blocks(text) == [
        Table(("key", "value"), (Row(("Authorization", "Basic x"), 3),), 1),
        Text("需要base64编码", False, 4),
    ]


def test_links_in_cells_read_as_their_text_and_escaped_bars_stay_in_the_cell() -> None:
    text = "| a | b |\n| - | - |\n| [回调接口](#回调接口) | x \\| y |\n"
    (table,) = blocks(text)
    assert isinstance(table, Table)
    assert table.rows[0].cells == ("回调接口", "x | y")


def test_a_fence_gives_its_info_text_and_first_line_inside() -> None:
    assert blocks('text\n\n```json\n{"a": 1}\n```\n') == [
        Text("text", False, 1),
        Code("json", '{"a": 1}\n', 4),
    ]


def test_a_fence_never_closed_is_marked_and_the_rest_is_read_without_it() -> None:
    text = "```\n{\n\n# 标题\n\n| a | b |\n| - | - |\n| x | y |\n"
    result = blocks(text)
    assert result[0] == Code("", "", 2, closed=False)
    assert Heading(1, "标题", 4) in result
    assert any(isinstance(block, Table) for block in result)


def test_carriage_returns_do_not_shift_line_numbers() -> None:
    assert blocks("a\r\n\r\n# b\r\n") == [Text("a", False, 1), Heading(1, "b", 3)]

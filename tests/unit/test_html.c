/* test_html.c - unit tests for html: HTML escaping and the Markdown-to-HTML page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "html.h"
#include "md.h"

static void test_escape(void **state) {
    (void)state;
    util_buf b;
    util_buf_init(&b);
    html_escape(&b, "<script>\"x\" & 'y'</script>");
    assert_string_equal(b.data, "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;");
    util_buf_fini(&b);
}

/* Input text goes through md_text into the Markdown, then into the
 * page: it must arrive as text, never as markup. */
static void test_hostile_text_stays_text(void **state) {
    (void)state;
    const char *evil = "<img src=x onerror=alert(1)> | **b** `c` [l](javascript:x) \\ & \"q\"";
    util_buf md, page;
    util_buf_init(&md);
    util_buf_init(&page);
    util_buf_puts(&md, "# Title ");
    md_text(&md, evil);
    util_buf_puts(&md, "\n\n| a | b |\n|---|--:|\n| ");
    md_text(&md, evil);
    util_buf_puts(&md, " | 1 |\n\n- item ");
    md_text(&md, evil);
    util_buf_puts(&md, "\n\nText ");
    md_text(&md, evil);
    util_buf_puts(&md, "\n");
    util_err err = {0, ""};
    assert_int_equal(html_page(&page, "t <x>", md.data, NULL, "", &err), 0);
    assert_null(strstr(page.data, "<img"));
    assert_null(strstr(page.data, "<script"));
    assert_null(strstr(page.data, "href="));
    assert_non_null(strstr(page.data, "&lt;img src=x onerror=alert(1)&gt;"));
    assert_non_null(strstr(page.data, "<title>t &lt;x&gt;</title>"));
    assert_non_null(strstr(page.data, "Content-Security-Policy"));
    /* the escaped pipe did not split the table cell: two cells in the body row */
    const char *row = strstr(page.data, "<tbody>");
    assert_non_null(row);
    int cells = 0;
    for (const char *p = row; (p = strstr(p, "<td")) != NULL && p < strstr(row, "</tr>"); p++) cells++;
    assert_int_equal(cells, 2);
    /* Markdown characters from the input show as themselves */
    assert_non_null(strstr(page.data, "| **b** `c` [l](javascript:x) \\ &amp; &quot;q&quot;"));
    util_buf_fini(&md);
    util_buf_fini(&page);
}

static void test_our_markup(void **state) {
    (void)state;
    util_buf page;
    util_buf_init(&page);
    util_err err = {0, ""};
    assert_int_equal(html_page(&page, "t", "## Head\n\nSome **bold** and `code`.\n\n| x |\n|:-:|\n| a<br>b |\n",
                                 NULL, "plots were skipped", &err),
                     0);
    assert_non_null(strstr(page.data, "<h2>Head</h2>"));
    assert_non_null(strstr(page.data, "<strong>bold</strong>"));
    assert_non_null(strstr(page.data, "<code>code</code>"));
    assert_non_null(strstr(page.data, "<td class=\"c\">a<br>b</td>"));
    assert_non_null(strstr(page.data, "<p class=\"note\">plots were skipped</p>"));
    util_buf_fini(&page);
}

/* The Markdown subset leadsim writes, each case the whole page body. */
static const struct {
    const char *md, *body;
} subset[] = {
    {"# One\n### Three\n", "<h1>One</h1>\n<h3>Three</h3>\n"},
    {"a\nb\n\nc\n", "<p>a b</p>\n<p>c</p>\n"},
    {"- x\n- **y**\n\nafter\n", "<ul>\n<li>x</li>\n<li><strong>y</strong></li>\n</ul>\n<p>after</p>\n"},
    {"text\n- item\n", "<p>text</p>\n<ul>\n<li>item</li>\n</ul>\n"},
    {"- item\n## H\n", "<ul>\n<li>item</li>\n</ul>\n<h2>H</h2>\n"},
    {"| a | b | c |\n|---|--:|:-:|\n| 1 | 2 | 3 |\n| x\\|y | `z` | **w** |\n",
     "<table>\n<thead><tr><th class=\"l\">a</th><th class=\"r\">b</th><th class=\"c\">c</th>"
     "</tr></thead>\n<tbody>\n<tr><td class=\"l\">1</td><td class=\"r\">2</td><td class=\"c\">3"
     "</td></tr>\n<tr><td class=\"l\">x|y</td><td class=\"r\"><code>z</code></td>"
     "<td class=\"c\"><strong>w</strong></td></tr>\n</tbody>\n</table>\n"},
    {"| a |  |\n|---|---|\n| 1 |  |\n", /* an empty cell stays a cell */
     "<table>\n<thead><tr><th class=\"l\">a</th><th class=\"l\"></th></tr></thead>\n<tbody>\n"
     "<tr><td class=\"l\">1</td><td class=\"l\"></td></tr>\n</tbody>\n</table>\n"},
    {"para\n| t |\n|---|\n", "<p>para</p>\n<table>\n<thead><tr><th class=\"l\">t</th></tr></thead>\n"
                            "<tbody>\n</tbody>\n</table>\n"},
    {"\\*not bold\\* \\_x\\_ \\[l\\] \\\\ \\`c\\`\n", "<p>*not bold* _x_ [l] \\ `c`</p>\n"},
    {"**open and `unclosed\n", "<p><strong>open and <code>unclosed</code></strong></p>\n"},
    {"&amp; &lt; a<br>b <i> \"q\"\n", "<p>&amp; &lt; a<br>b &lt;i&gt; &quot;q&quot;</p>\n"},
    {"", ""},
};

static void test_markdown_subset(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof subset / sizeof *subset; i++) {
        util_buf page;
        util_buf_init(&page);
        util_err err = {0, ""};
        assert_int_equal(html_page(&page, "t", subset[i].md, NULL, "", &err), 0);
        const char *a = strstr(page.data, "<body>\n"), *z = strstr(page.data, "<footer>");
        assert_non_null(a);
        assert_non_null(z);
        a += strlen("<body>\n");
        char body[2048];
        assert_true((size_t)(z - a) < sizeof body);
        snprintf(body, sizeof body, "%.*s", (int)(z - a), a);
        assert_string_equal(body, subset[i].body);
        util_buf_fini(&page);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_hostile_text_stays_text),
        cmocka_unit_test(test_our_markup),
        cmocka_unit_test(test_markdown_subset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.common.InputLine;
import io.runnel.examples.common.MalformedLineException;
import org.junit.jupiter.api.Test;

class PageViewParserTest {

    private final PageViewParser parser = new PageViewParser();

    private PageView parse(String json) throws MalformedLineException {
        return parser.parse(InputLine.of(1, json));
    }

    @Test
    void shouldReadAPageViewAndDefaultTheOptionalFields() throws MalformedLineException {
        assertThat(parse("{\"ts\": 1740988800000, \"user\": \"u1\", \"url\": \"/a\", \"referrer\": \"https://x/\", \"userAgent\": \"ua\"}"))
                .isEqualTo(new PageView(1740988800000L, "u1", "/a", "https://x/", "ua"));
        assertThat(parse("{\"url\": \"/a\", \"user\": \"u1\", \"ts\": 5, \"referrer\": null, \"extra\": [1]}"))
                .isEqualTo(new PageView(5, "u1", "/a", "", ""));
    }

    @Test
    void shouldNameWhatIsWrongWithAMalformedLine() {
        String[][] cases = {
            {"{\"ts\": 5, \"user\": \"u1\"", "not JSON: Unexpected end-of-input"},
            {"[1, 2]", "not a JSON object: array"},
            {"{\"ts\": 5, \"user\": \"u1\", \"url\": \"/a\"} trailing", "not JSON: "},
            {"{\"user\": \"u1\", \"url\": \"/a\"}", "'ts' is missing"},
            {"{\"ts\": \"5\", \"user\": \"u1\", \"url\": \"/a\"}", "'ts' must be an integer, was \"5\""},
            {"{\"ts\": 5.5, \"user\": \"u1\", \"url\": \"/a\"}", "'ts' must be an integer, was 5.5"},
            {"{\"ts\": 5, \"user\": 42, \"url\": \"/a\"}", "'user' must be a non-empty string, was 42"},
            {"{\"ts\": 5, \"user\": \"u1\", \"url\": \"\"}", "'url' must be a non-empty string"},
            {"{\"ts\": 5, \"user\": \"u1\", \"url\": \"/a\", \"userAgent\": 3}", "'userAgent' must be a string, was 3"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(MalformedLineException.class).hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> parser.parse(new InputLine(3, new byte[] {'{', '"', (byte) 0xff, '"', '}'}, false)))
                .hasMessageContaining("Invalid UTF-8");
        assertThatThrownBy(() -> parser.parse(new InputLine(3, "{\"ts\"".getBytes(), true)))
                .hasMessage("line longer than " + InputLine.MAX_LINE_BYTES + " bytes");
    }
}

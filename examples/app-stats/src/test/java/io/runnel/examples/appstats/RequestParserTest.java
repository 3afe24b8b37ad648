package io.runnel.examples.appstats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.examples.common.InputLine;
import io.runnel.examples.common.MalformedLineException;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser();

    private Request parse(String json) throws MalformedLineException {
        return parser.parse(InputLine.of(1, json));
    }

    @Test
    void shouldReadARequestWithIntegerOrFractionalLatency() throws MalformedLineException {
        assertThat(parse("{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": 12.75, \"status\": 503}"))
                .isEqualTo(new Request(7, "s", "/e", 12.75, 503));
        assertThat(parse("{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": 12, \"status\": 200, \"host\": \"h\"}"))
                .isEqualTo(new Request(7, "s", "/e", 12, 200));
    }

    @Test
    void shouldNameWhatIsWrongWithAMalformedLine() {
        String[][] cases = {
            {"{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": -1, \"status\": 200}", "'latencyMs' must be a number >= 0, was -1"},
            {"{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": \"fast\", \"status\": 200}", "'latencyMs' must be a number"},
            {"{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": 1, \"status\": 200.5}", "'status' must be an integer"},
            {"{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"latencyMs\": 1, \"status\": 700}", "'status' must be an HTTP status from 100 to 599, was 700"},
            {"{\"ts\": 7, \"endpoint\": \"/e\", \"latencyMs\": 1, \"status\": 200}", "'service' is missing"},
            {"{\"ts\": 7, \"service\": \"s\", \"endpoint\": \"/e\", \"status\": 200}", "'latencyMs' is missing"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(MalformedLineException.class).hasMessageContaining(c[1]);
        }
    }
}

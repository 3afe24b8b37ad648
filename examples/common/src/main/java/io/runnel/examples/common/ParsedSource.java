package io.runnel.examples.common;

import io.runnel.streams.connect.ForwardingSourceReader;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A source of input lines turned into events: each line is parsed as it is read; a line that does
 * not parse is reported as malformed at {@code <input>:<line number>} (e.g. {@code events.jsonl:17};
 * for a line without a number, the reader's position, e.g. {@code http-events/2@17}) with the parser's reason, so the job's bad-data policy dead-letters it. Splits and positions are
 * those of the line source. Immutable.
 *
 * @param <T> the event type
 */
public final class ParsedSource<T> implements Source<T> {

    private final Source<InputLine> lines;
    private final String inputName;
    private final LineParser<T> parser;

    private ParsedSource(Source<InputLine> lines, String inputName, LineParser<T> parser) {
        this.lines = lines;
        this.inputName = inputName;
        this.parser = parser;
    }

    /** Events parsed from {@code lines}; {@code inputName} names the input in positions. */
    public static <T> ParsedSource<T> of(Source<InputLine> lines, String inputName, LineParser<T> parser) {
        return new ParsedSource<>(Objects.requireNonNull(lines, "lines"), Objects.requireNonNull(inputName, "inputName"),
                Objects.requireNonNull(parser, "parser"));
    }

    @Override
    public String name() {
        return lines.name();
    }

    @Override
    public boolean isBounded() {
        return lines.isBounded();
    }

    @Override
    public List<SourceSplit> splits() {
        return lines.splits();
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        SourceReader<InputLine> reader = lines.open(split, context);
        return new ForwardingSourceReader<>(reader) {
            private final ParsingOutput<T> parsing = new ParsingOutput<>(inputName, parser, reader);

            @Override
            public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
                parsing.target = output;
                return reader.poll(parsing, maxRecords, timeout);
            }

            @Override
            public String describePosition() {
                return parsing.current > 0 ? inputName + ":" + parsing.current : reader.describePosition();
            }
        };
    }

    /** Parses each line on its way to the job. */
    private static final class ParsingOutput<T> implements SourceOutput<InputLine> {
        private final String inputName;
        private final LineParser<T> parser;
        private final SourceReader<InputLine> reader;
        SourceOutput<T> target;
        long current; // the line being delivered, for describePosition

        ParsingOutput(String inputName, LineParser<T> parser, SourceReader<InputLine> reader) {
            this.inputName = inputName;
            this.parser = parser;
            this.reader = reader;
        }

        /** {@code events.jsonl:17}, or the record's position for a line without a number. */
        private String where(InputLine line) {
            return line.lineNumber() > 0 ? inputName + ":" + line.lineNumber() : reader.describePosition();
        }

        @Override
        public void collect(InputLine line, long timestampMs) {
            current = line.lineNumber();
            T event;
            try {
                event = parser.parse(line);
            } catch (MalformedLineException e) {
                target.malformed(where(line), line.bytes(), e);
                return;
            } catch (RuntimeException e) {
                // a parser bug on odd input is still this line's problem: dead-letter it with the cause
                target.malformed(where(line), line.bytes(), new MalformedLineException(String.valueOf(e)));
                return;
            }
            target.collect(event, timestampMs);
        }

        @Override
        public void malformed(String where, byte[] raw, Throwable reason) {
            target.malformed(where, raw, reason);
        }
    }
}

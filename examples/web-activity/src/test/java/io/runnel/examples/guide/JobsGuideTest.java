package io.runnel.examples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** docs/JOBS.md shows compiled code: its Java snippets are PageViewsJob and its test, its pom is well-formed. */
class JobsGuideTest {

    private static final Path GUIDE = Path.of("../../docs/JOBS.md");
    private static final Path SOURCES = Path.of("src/test/java/io/runnel/examples/guide");

    private static List<String> blocks(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Lines trimmed, blank ones dropped: indentation may differ, nothing else. */
    private static String normalized(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    @Test
    void shouldQuoteTheCompiledJobAndTestVerbatim() throws Exception {
        String sources = normalized(Files.readString(SOURCES.resolve("PageViewsJob.java")))
                + "\n" + normalized(Files.readString(SOURCES.resolve("PageViewsJobTest.java")));
        List<String> snippets = blocks("java");
        assertThat(snippets).hasSize(2);
        for (String snippet : snippets) {
            assertThat(sources).as("a snippet of docs/JOBS.md is not in PageViewsJob(Test).java").contains(normalized(snippet));
        }
    }

    @Test
    void shouldShowAWellFormedPomWithTheShadeConfigurationTheGuideExplains() throws Exception {
        List<String> poms = blocks("xml");
        assertThat(poms).hasSize(1);
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(poms.get(0).getBytes(StandardCharsets.UTF_8)));
        String text = pom.getDocumentElement().getTextContent();
        assertThat(text).contains("runnel-connectors", "maven-shade-plugin", "com.example.PageViewsJob", "META-INF/*.SF",
                "maven-compiler-plugin");
        assertThat(poms.get(0)).contains("ServicesResourceTransformer", "ManifestResourceTransformer");
    }
}

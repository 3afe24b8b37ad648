package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class JdkServerPropertiesTest {

    /** Keeps what is logged at INFO and above. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;
        final transient List<String> lines = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, args));
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }

    @Test
    void shouldSetTheAbsentPropertiesAndLogWhichAtInfo() {
        Properties properties = new Properties();
        RecordingLogger log = new RecordingLogger();
        Map<String, String> set = JdkServerProperties.apply(properties, log);
        assertThat(set).containsExactly(
                Map.entry("sun.net.httpserver.maxReqTime", "30"),
                Map.entry("sun.net.httpserver.maxRspTime", "30"),
                Map.entry("jdk.httpserver.maxConnections", "1000"),
                Map.entry("sun.net.httpserver.nodelay", "true"));
        assertThat(properties).containsAllEntriesOf(set);
        assertThat(log.lines).containsExactly("INFO http ingest: set JVM-wide system properties of the JDK HTTP server:"
                + " {sun.net.httpserver.maxReqTime=30, sun.net.httpserver.maxRspTime=30, jdk.httpserver.maxConnections=1000,"
                + " sun.net.httpserver.nodelay=true} (they apply to every JDK HTTP server of this JVM, and only if none was"
                + " created before; set them yourself, e.g. -Dsun.net.httpserver.maxReqTime=..., for other values)");
    }

    @Test
    void shouldKeepWhatTheUserSetAndSayItKeptIt() {
        Properties properties = new Properties();
        properties.setProperty("sun.net.httpserver.nodelay", "false");
        properties.setProperty("sun.net.httpserver.maxReqTime", "5");
        RecordingLogger log = new RecordingLogger();
        Map<String, String> set = JdkServerProperties.apply(properties, log);
        assertThat(set).containsOnlyKeys("sun.net.httpserver.maxRspTime", "jdk.httpserver.maxConnections");
        assertThat(properties.getProperty("sun.net.httpserver.nodelay")).isEqualTo("false");
        assertThat(properties.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("5");
        assertThat(log.lines).hasSize(2);
        assertThat(log.lines.get(1)).isEqualTo("INFO http ingest: kept the JDK HTTP server system properties set before:"
                + " {sun.net.httpserver.maxReqTime=5, sun.net.httpserver.nodelay=false}");
    }

    @Test
    void theFirstIngestOfTheJvmShouldHaveSetThemAsSystemProperties() {
        JdkServerProperties.applyOnce(new RecordingLogger());
        JdkServerProperties.DEFAULTS.keySet().forEach(key -> assertThat(System.getProperty(key)).as(key).isNotNull());
    }
}

package io.lakehousecdc.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command's own log configuration (src/main/resources/log4j2.properties), loaded apart from the tests' one. */
class JsonLogFormatTest {

    @TempDir
    Path dir;

    @Test
    void anEventWithAMultiLineMessageAndAnExceptionIsOneJsonLineWithEveryField() throws Exception {
        List<String> lines = logOneError("json");

        assertThat(lines).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(lines.get(0));
        assertThat(Instant.parse(event.path("@timestamp").asText())).isAfter(Instant.now().minusSeconds(60));
        assertThat(event.path("level").asText()).isEqualTo("ERROR");
        assertThat(event.path("logger").asText()).isEqualTo("io.lakehousecdc.app.LogTest");
        assertThat(event.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(event.path("message").asText()).isEqualTo("Checkpoint 7 of \"clinic\" failed\nsecond line");
        assertThat(event.path("exception").asText())
                .startsWith("java.lang.IllegalStateException: disk full")
                .contains("\tat io.lakehousecdc.app.JsonLogFormatTest.")
                .contains("Caused by: java.io.IOException: no space left");
        assertThat(event.path("mdc").path("table").asText()).isEqualTo("clinic_clinic_visits");
    }

    @Test
    void textStaysTheFormatWhenNoneIsChosen() throws Exception {
        List<String> lines = logOneError(null);

        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT.* ERROR \\[.*] i\\.l\\.a\\.LogTest - Checkpoint 7 .*");
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("java.lang.IllegalStateException: disk full"));
    }

    /** Logs one error through a logger context of its own, configured as the command is, and returns the file's lines. */
    private List<String> logOneError(String format) throws Exception {
        if (format != null) {
            System.setProperty("lakehouse.log.format", format);
        }
        System.setProperty("lakehouse.log.dir", dir.toString());
        LoggerContext context = new LoggerContext("log-format-test", null,
                JsonLogFormatTest.class.getResource("/log4j2.properties").toURI());
        try {
            context.start();
            Logger log = context.getLogger("io.lakehousecdc.app.LogTest");
            ThreadContext.put("table", "clinic_clinic_visits");
            log.error("Checkpoint 7 of \"clinic\" failed\nsecond line",
                    new IllegalStateException("disk full", new IOException("no space left")));
        } finally {
            ThreadContext.clearMap();
            context.stop();
            System.clearProperty("lakehouse.log.format");
            System.clearProperty("lakehouse.log.dir");
        }
        return Files.readAllLines(dir.resolve("lakehouse.log"));
    }
}

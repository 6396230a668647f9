package io.dmm.management.http;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The exposition writer's escaping and checks, read back by the independent {@link PrometheusParser}. */
class PrometheusTextTest {
    @Test
    void labelValuesWithBackslashesQuotesAndLineFeedsRoundTrip() {
        String nasty = "tcp dst \"10.0.0.0/8\" \\ app=C:\\dir\nsecond line";
        PrometheusText p = new PrometheusText();
        p.family("dmm_test_total", "counter", "Help with a backslash \\ and a\nline feed.")
                .sample(3, "rule", nasty, "stack", "k1");
        String text = p.toString();
        assertEquals("""
                # HELP dmm_test_total Help with a backslash \\\\ and a\\nline feed.
                # TYPE dmm_test_total counter
                dmm_test_total{rule="tcp dst \\"10.0.0.0/8\\" \\\\ app=C:\\\\dir\\nsecond line",stack="k1"} 3
                """, text);
        PrometheusParser.Exposition e = PrometheusParser.parse(text);
        assertEquals(nasty, e.samples().get(0).labels().get("rule"));
        assertEquals("Help with a backslash \\ and a\nline feed.", e.help().get("dmm_test_total"));
        assertEquals(3, e.value("dmm_test_total", "stack", "k1"));
    }

    @Test
    void unicodeLabelValuesAreWrittenAsUtf8() {
        PrometheusText p = new PrometheusText();
        p.family("m", "gauge", "h").sample(1, "app", "caf\u00e9 \u2603");
        assertEquals("caf\u00e9 \u2603", PrometheusParser.parse(new String(p.toBytes(),
                java.nio.charset.StandardCharsets.UTF_8)).samples().get(0).labels().get("app"));
    }

    @Test
    void badNamesAndRepeatedFamiliesAreBugsNotOutput() {
        PrometheusText p = new PrometheusText();
        assertThrows(IllegalArgumentException.class, () -> p.family("dmm-bad", "gauge", "h"));
        p.family("dmm_ok", "gauge", "h");
        assertThrows(IllegalStateException.class, () -> p.family("dmm_ok", "gauge", "h"));
        assertThrows(IllegalArgumentException.class, () -> p.sample(1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> p.sample(1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> p.sample(1, "odd"));
    }

    @Test
    void secondsArePlainDecimalsWithMilliseconds() {
        assertEquals("1718000000.005", PrometheusText.seconds(Instant.ofEpochMilli(1_718_000_000_005L)));
        assertEquals("1718000000.120", PrometheusText.seconds(Instant.ofEpochMilli(1_718_000_000_120L)));
        assertEquals("0.000", PrometheusText.seconds(Instant.EPOCH));
        PrometheusText p = new PrometheusText();
        p.family("t_seconds", "gauge", "h").sample(PrometheusText.seconds(Instant.ofEpochMilli(1_500)));
        assertEquals(1.5, PrometheusParser.parse(p.toString()).value("t_seconds"));
    }

    @Test
    void theParserRejectsWhatPrometheusWould() {
        assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse("x 1\n"), "no TYPE");
        assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse(
                "# TYPE x gauge\nx{a=\"\\q\"} 1\n"), "bad escape");
        assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse(
                "# TYPE x gauge\nx 1\nx 2\n"), "duplicate series");
        assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse(
                "# TYPE x gauge\n# TYPE y gauge\ny 1\nx 1\n"), "x outside its block");
        assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse("# TYPE x gauge\nx 1"),
                "no final line feed");
    }
}

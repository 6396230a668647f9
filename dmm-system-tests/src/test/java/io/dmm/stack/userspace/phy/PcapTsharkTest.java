package io.dmm.stack.userspace.phy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wireshark's own reader accepts the userspace stack's captures (PcapWriterTest checks the bytes themselves). */
class PcapTsharkTest {
    @TempDir
    Path dir;

    @Test
    void tsharkReadsTheCapture() throws Exception {
        String tshark = null;
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, "tshark").canExecute()) tshark = new File(d, "tshark").getPath();
        }
        assertNotNull(tshark, "this test needs tshark: apt-get install -y tshark");
        int[] lengths = {60, 1514, 98};
        Path file = PcapCaptures.capture(dir.resolve("capture.pcap"), lengths);
        Process p = new ProcessBuilder(tshark, "-r", file.toString(), "-T", "fields", "-e", "frame.len")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // stderr: tshark's warnings (e.g. running as root)
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> expected = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) for (int l : lengths) expected.add(Integer.toString(l));
        assertEquals(expected, out.lines().map(String::trim).filter(s -> !s.isEmpty()).toList(), out);
    }
}

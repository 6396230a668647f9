package io.dmm.core.config;

import io.dmm.api.DmmConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading configuration files from disk, with errors that name the path. */
final class PolicyFiles {
    private PolicyFiles() {
    }

    /** Reads and parses {@code file} (UTF-8 JSON, comments and trailing commas allowed). */
    static LocatedValue parseFile(Path file, String what) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new DmmConfigException(name, 0, 0, "", what + " file not found: " + file.toAbsolutePath());
        } catch (CharacterCodingException e) {
            throw new DmmConfigException(name, 0, 0, "", what + " file is not valid UTF-8 text");
        } catch (IOException e) {
            throw new DmmConfigException(name, 0, 0, "", "cannot read " + what + " file " + file.toAbsolutePath()
                    + ": " + e);
        }
        return LocatedJsonParser.parse(text, name);
    }

    /** {@code ref} resolved against {@code baseDir} (null: the working directory) unless absolute. */
    static Path resolve(Path baseDir, String ref) {
        Path p = Path.of(ref);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
    }
}

package dev.reward4j.trainers.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java code cannot drift from the code the suite compiles and runs: every {@code
 * ```java} block of README.md is preceded by {@code <!-- example: NAME -->} and equals, line for
 * line (common indentation removed), the code between {@code // README example NAME begins} and
 * {@code // README example NAME ends} in a test source of this module.
 */
class ReadmeSyncTest {
    static final Pattern MARKER = Pattern.compile("<!-- example: ([\\w-]+) -->");
    static final Pattern BEGIN = Pattern.compile("^\\s*// README example ([\\w-]+) begins\\s*$");

    /** The repository root: the first ancestor of the working directory holding README.md. */
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        assertTrue(p != null, "no README.md above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** NAME to the README's java block after {@code <!-- example: NAME -->}. */
    static Map<String, List<String>> readmeBlocks(List<String> lines) {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        String pending = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m = MARKER.matcher(l.trim());
            if (m.matches()) {
                pending = m.group(1);
            } else if (l.trim().equals("```java")) {
                assertTrue(
                        pending != null,
                        "README.md line "
                                + (i + 1)
                                + ": a java block without <!-- example: NAME --> before it; every"
                                + " Java snippet must be a tested example");
                List<String> code = new ArrayList<>();
                for (i++; !lines.get(i).trim().equals("```"); i++) {
                    code.add(lines.get(i));
                }
                blocks.put(pending, dedent(code));
                pending = null;
            } else if (!l.isBlank()) {
                pending = null;
            }
        }
        return blocks;
    }

    /** NAME to the code between the markers in the test sources under {@code dir}. */
    static Map<String, List<String>> sourceBlocks(Path dir) throws IOException {
        Map<String, List<String>> blocks = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = BEGIN.matcher(lines.get(i));
                if (!m.matches()) {
                    continue;
                }
                String end = "// README example " + m.group(1) + " ends";
                List<String> code = new ArrayList<>();
                for (i++; i < lines.size() && !lines.get(i).trim().equals(end); i++) {
                    code.add(lines.get(i));
                }
                assertTrue(i < lines.size(), f + ": no '" + end + "'");
                blocks.put(m.group(1), dedent(code));
            }
        }
        return blocks;
    }

    static List<String> dedent(List<String> code) {
        int indent =
                code.stream()
                        .filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length())
                        .min()
                        .orElse(0);
        return code.stream()
                .map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .toList();
    }

    @Test
    void everyReadmeJavaBlockEqualsTheTestedSourceItQuotes() throws IOException {
        Path root = root();
        Map<String, List<String>> readme =
                readmeBlocks(Files.readAllLines(root.resolve("README.md")));
        Map<String, List<String>> sources = sourceBlocks(root.resolve("trainers/src/test/java"));
        assertTrue(readme.size() >= 4, "README examples: " + readme.keySet());
        for (Map.Entry<String, List<String>> e : readme.entrySet()) {
            List<String> source = sources.get(e.getKey());
            assertTrue(
                    source != null,
                    "README example '"
                            + e.getKey()
                            + "' has no source markers; found "
                            + sources.keySet());
            assertEquals(
                    String.join("\n", source),
                    String.join("\n", e.getValue()),
                    "README example '" + e.getKey() + "' differs from its test source");
        }
        for (String name : sources.keySet()) {
            assertTrue(
                    readme.containsKey(name), "tested example '" + name + "' is not in README.md");
        }
    }

    @Test
    void theMarkerParserFindsABlockAndRejectsAnUnmarkedOne() {
        Map<String, List<String>> b =
                readmeBlocks(
                        List.of(
                                "text",
                                "<!-- example: x -->",
                                "",
                                "```java",
                                "    int a = 1;",
                                "      int b = 2;",
                                "```"));
        assertEquals(Map.of("x", List.of("int a = 1;", "  int b = 2;")), b);
        org.junit.jupiter.api.Assertions.assertThrows(
                org.opentest4j.AssertionFailedError.class,
                () -> readmeBlocks(List.of("<!-- example: x -->", "text", "```java", "a", "```")));
    }
}

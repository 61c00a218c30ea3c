package dev.reward4j.trainers.device;

import java.util.List;

/**
 * What {@link Doctor} found: titled sections of {@code key: value} rows, and the verdict.
 *
 * @param device the examined device (as requested when it could not be resolved)
 * @param sections the report, in order
 * @param canTrain whether the device can train
 * @param verdict one line saying so
 */
public record DoctorReport(
        String device, List<Section> sections, boolean canTrain, String verdict) {

    /** Exit status of {@code reward4j doctor}: 0 when the device can train, else 4. */
    public static final int CANNOT_TRAIN = 4;

    /** Copies the lists. */
    public DoctorReport {
        sections = List.copyOf(sections);
    }

    /** One titled part of the report. */
    public record Section(String title, List<String[]> rows) {
        /** Copies the rows. */
        public Section {
            rows = List.copyOf(rows);
        }
    }

    /** 0 when the device can train, else {@link #CANNOT_TRAIN}. */
    public int exitCode() {
        return canTrain ? 0 : CANNOT_TRAIN;
    }

    /** The report as text: {@code == title ==} headers, aligned rows, the verdict last. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Section s : sections) {
            sb.append("== ").append(s.title()).append(" ==\n");
            int w = s.rows().stream().mapToInt(r -> r[0].length()).max().orElse(0);
            for (String[] r : s.rows()) {
                sb.append("  ")
                        .append(r[0])
                        .append(": ")
                        .append(" ".repeat(w - r[0].length()))
                        .append(r[1])
                        .append('\n');
            }
        }
        sb.append(canTrain ? "OK: " : "FAIL: ").append(verdict).append('\n');
        return sb.toString();
    }
}

package dev.reward4j.trainers.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.HelpSteer2Format;
import dev.reward4j.core.data.HelpSteer2PreferenceFormat;
import dev.reward4j.core.data.HhRlhfFormat;
import dev.reward4j.core.data.JointPreferenceFormat;
import dev.reward4j.core.data.KtoFormat;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.PreferenceTripleFormat;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.data.UltraFeedbackBinarized;
import dev.reward4j.core.data.UltraFeedbackPairs;
import dev.reward4j.core.data.UltraFeedbackRanked;
import dev.reward4j.core.data.UnpairedFeedback;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code data.format}: the reader of the training and evaluation files, parsed from its
 * configuration name. {@link #AUTO} is the objective family's usual format ({@code trl} for pairs,
 * {@code ultrafeedback-ranked} for lists, {@code helpsteer2} for rated responses, {@code kto} for
 * unpaired feedback). Every other format produces one {@link ExampleKind}; a format whose kind
 * differs from the objective's is a configuration error.
 */
public enum DataFormat {
    /** The objective family's usual format. */
    AUTO("auto", null),
    /** TRL preference rows: standard (strings) or conversational, explicit or implicit prompt. */
    TRL("trl", ExampleKind.PAIRS),
    /** Anthropic HH-RLHF transcripts, kept as raw text. */
    HH_RLHF("hh-rlhf", ExampleKind.PAIRS),
    /**
     * Anthropic HH-RLHF transcripts as user/assistant messages (rendered with the tokenizer's chat
     * template).
     */
    HH_RLHF_CHAT("hh-rlhf-chat", ExampleKind.PAIRS),
    /** {@code HuggingFaceH4/ultrafeedback_binarized} rows (no margin). */
    ULTRAFEEDBACK_BINARIZED("ultrafeedback-binarized", ExampleKind.PAIRS),
    /** Raw UltraFeedback rows, every pair of completions with different fine-grained scores. */
    ULTRAFEEDBACK_PAIRS("ultrafeedback-pairs", ExampleKind.PAIRS),
    /**
     * Raw UltraFeedback rows, the best completion against each lower-scored one (fine-grained
     * score).
     */
    ULTRAFEEDBACK_BEST_VS_REST("ultrafeedback-best-vs-rest", ExampleKind.PAIRS),
    /**
     * HelpSteer2-Preference rows; the margin carries the preference strength 1..3, ties are
     * skipped.
     */
    HELPSTEER2_PREFERENCE("helpsteer2-preference", ExampleKind.PAIRS),
    /** Raw UltraFeedback rows as one ranked list per row (fine-grained score). */
    ULTRAFEEDBACK_RANKED("ultrafeedback-ranked", ExampleKind.LISTS),
    /**
     * {@code nvidia/HelpSteer2} rows rated on helpfulness, correctness, coherence, complexity and
     * verbosity.
     */
    HELPSTEER2("helpsteer2", ExampleKind.RATED),
    /** TRL unpaired rows: prompt, completion, boolean label. */
    KTO("kto", ExampleKind.UNPAIRED),
    /**
     * Rows with a prompt, a completion (or response) and a class field (C-RLFT); the field and the
     * classes are the objective's keys.
     */
    CLASS_LABELED("class-labeled", ExampleKind.CLASS_LABELED),
    /**
     * Joint preference rows ({@code prompt_chosen}, {@code chosen}, {@code prompt_rejected}, {@code
     * rejected}; a row with one {@code prompt} is a conditional pair), see {@link
     * JointPreferenceFormat}.
     */
    JOINT("joint", ExampleKind.JOINT_PAIRS),
    /**
     * Preference triples ({@code prompt}, {@code reference} = the gold response, {@code chosen},
     * {@code rejected}), see {@link PreferenceTripleFormat}.
     */
    TRIPLES("triples", ExampleKind.TRIPLES),
    /**
     * Step-annotated solutions in TRL's stepwise-supervision layout ({@code prompt}, {@code
     * completions}: the steps, {@code labels}: one boolean or number in [0, 1] per step), see
     * {@link dev.reward4j.core.data.StepwiseFormat}.
     */
    STEPWISE("stepwise", ExampleKind.STEPS);

    private final String key;
    private final ExampleKind kind;

    DataFormat(String key, ExampleKind kind) {
        this.key = key;
        this.kind = kind;
    }

    /** The configuration name, e.g. {@code hh-rlhf}. */
    public String key() {
        return key;
    }

    /** The examples the format produces; null for {@link #AUTO}. */
    public ExampleKind kind() {
        return kind;
    }

    /** Every configuration name, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(DataFormat::key).toList();
    }

    /** {@code auto} and the names of the formats producing {@code kind}. */
    public static List<String> keys(ExampleKind kind) {
        List<String> out = new ArrayList<>(List.of(AUTO.key));
        for (DataFormat f : values()) {
            if (f.kind == kind) {
                out.add(f.key);
            }
        }
        return out;
    }

    /**
     * Parses a configuration name.
     *
     * @throws IllegalArgumentException {@code format: expected one of [...] (got 'x')}
     */
    public static DataFormat parse(String key) {
        for (DataFormat f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "format: expected one of " + keys() + " (got '" + key + "')");
    }

    /** The format of {@code kind} that {@link #AUTO} stands for. */
    public static DataFormat usual(ExampleKind kind) {
        return switch (kind) {
            case PAIRS -> TRL;
            case LISTS -> ULTRAFEEDBACK_RANKED;
            case RATED -> HELPSTEER2;
            case UNPAIRED -> KTO;
            case CLASS_LABELED -> CLASS_LABELED;
            case JOINT_PAIRS -> JOINT;
            case TRIPLES -> TRIPLES;
            case STEPS -> STEPWISE;
        };
    }

    /**
     * The format of {@code file} for an objective training on {@code kind}, detected from its first
     * row: for preference pairs, HelpSteer2-Preference rows ({@code response_1}, {@code
     * preference_strength}), raw UltraFeedback rows ({@code instruction}, {@code completions}:
     * every pair), HH-RLHF transcripts (no {@code prompt}, {@code chosen} starting with {@code
     * "\n\nHuman:"}) and TRL rows otherwise (which also reads {@code ultrafeedback_binarized}); for
     * the other kinds their one format. Empty when the file has no row.
     *
     * @throws dev.reward4j.core.data.DataFormatException when the first row cannot be read
     */
    public static Optional<DataFormat> detect(Path file, ExampleKind kind) {
        Format<JsonNode> first = (row, out) -> out.accept(row.json());
        JsonNode row;
        try (RecordStream<JsonNode> s =
                DataReader.open(file, first, ReadOptions.defaults().withMaxRows(1))) {
            if (!s.hasNext()) {
                return Optional.empty();
            }
            row = s.next();
        }
        if (kind != ExampleKind.PAIRS) {
            return Optional.of(usual(kind));
        }
        if (row.has("response_1") && row.has("preference_strength")) {
            return Optional.of(HELPSTEER2_PREFERENCE);
        }
        if (row.has("instruction") && row.path("completions").isArray()) {
            return Optional.of(ULTRAFEEDBACK_PAIRS);
        }
        if (!row.has("prompt")
                && row.path("chosen").isTextual()
                && row.path("chosen").asText().startsWith("\n\nHuman:")) {
            return Optional.of(HH_RLHF);
        }
        return Optional.of(TRL);
    }

    /**
     * The {@code split} value of a file's training rows when the format's files hold several splits
     * in a {@code split} column: {@code train} for {@link #HELPSTEER2_PREFERENCE} ({@code
     * preference.jsonl.gz} holds {@code train} and {@code val} rows, and NVIDIA's preprocessing
     * sends {@code split != "train"} to validation); empty for the other formats.
     */
    public Optional<String> trainingSplit() {
        return this == HELPSTEER2_PREFERENCE ? Optional.of("train") : Optional.empty();
    }

    /** The preference-pair reader. */
    public Format<PreferencePair> pairs() {
        return switch (this) {
            case TRL -> TrlFormat.standard();
            case HH_RLHF -> HhRlhfFormat.text();
            case HH_RLHF_CHAT -> new HhRlhfFormat(true);
            case ULTRAFEEDBACK_BINARIZED -> new UltraFeedbackBinarized(false);
            case ULTRAFEEDBACK_PAIRS -> UltraFeedbackPairs.allPairs();
            case ULTRAFEEDBACK_BEST_VS_REST -> UltraFeedbackPairs.bestVsRest();
            case HELPSTEER2_PREFERENCE -> new HelpSteer2PreferenceFormat();
            default -> throw notA(ExampleKind.PAIRS);
        };
    }

    /** The ranked-list reader. */
    public Format<RankedList> lists() {
        if (this != ULTRAFEEDBACK_RANKED) {
            throw notA(ExampleKind.LISTS);
        }
        return UltraFeedbackRanked.defaults();
    }

    /** The rated-response reader. */
    public HelpSteer2Format rated() {
        if (this != HELPSTEER2) {
            throw notA(ExampleKind.RATED);
        }
        return HelpSteer2Format.defaults();
    }

    /** The unpaired-feedback reader. */
    public Format<UnpairedFeedback> unpaired() {
        if (this != KTO) {
            throw notA(ExampleKind.UNPAIRED);
        }
        return new KtoFormat();
    }

    private IllegalStateException notA(ExampleKind wanted) {
        return new IllegalStateException(
                "data.format: "
                        + key
                        + " does not read "
                        + wanted.description()
                        + "; expected one of "
                        + keys(wanted)
                        + " (resolve auto with DataFormat.usual first)");
    }
}

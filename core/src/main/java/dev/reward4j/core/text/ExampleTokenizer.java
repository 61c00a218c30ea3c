package dev.reward4j.core.text;

import dev.reward4j.core.data.ContextTemplate;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.UnpairedFeedback;
import dev.reward4j.core.data.WeightedExample;
import dev.reward4j.core.data.WeightedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Tokenizes chunks of examples: renders prompts and responses ({@link TextEncoder}), encodes all
 * texts of a chunk in one native batch call, applies the {@link TruncationPolicy} pair-aware (all
 * responses of an example share one, identically truncated prompt) and counts everything in {@link
 * DataCounters}:
 *
 * <ul>
 *   <li>invalid: an empty response text, chosen equal to rejected (same response tokens), a
 *       sequence starting with BOS BOS; after truncation again on the final sequences (BOS BOS, no
 *       response token left);
 *   <li>identical after truncation: a pair whose chosen and rejected sequences differ before
 *       truncation but not after it is dropped and counted on its own, or, with {@link
 *       IdenticalAfterTruncation#KEEP_DIFFERING_TAIL}, kept with the tails of its responses
 *       (counted as tails kept);
 *   <li>dropped: too long under {@link TruncationPolicy.Drop}, or no prompt token left under {@link
 *       TruncationPolicy.KeepPromptEnd};
 *   <li>truncated: one count per kept example, plus per-sequence prompt/response cuts and forced
 *       EOS tokens.
 * </ul>
 *
 * <p>A text of more than {@value #CHARS_PER_TOKEN} characters per token of {@code maxLength} is cut
 * to that many characters on the side the policy drops (the start of a prompt, the end of a
 * response; the start of both under {@link TruncationPolicy.KeepEnd}) before it is encoded, so a 10
 * MB line costs what its kept part costs. The result is the same as encoding the whole text
 * whenever the cut text still has more than {@value #MARGIN_TOKENS} tokens beyond {@code maxLength}
 * (the kept tokens then lie far from the cut); otherwise the whole text is encoded.
 *
 * <p>Not thread-safe (it owns its counters); use one instance per thread.
 */
public final class ExampleTokenizer {
    /**
     * A text longer than this many characters per {@code maxLength} token is cut before encoding.
     */
    public static final int CHARS_PER_TOKEN = 32;

    /** Tokens a cut text must have beyond {@code maxLength} for the cut to be used. */
    static final int MARGIN_TOKENS = 16;

    /** Characters of a cut prompt's start encoded for the BOS BOS check. */
    private static final int HEAD_CHARS = 256;

    private final TextEncoder encoder;
    private final TruncationPolicy policy;
    private final DataCounters counters;
    private final ContextTemplate contextTemplate;

    /**
     * Creates a tokenizer.
     *
     * @param encoder the text encoder
     * @param policy the truncation policy
     * @param counters where truncations, drops and invalid examples are counted
     */
    public ExampleTokenizer(TextEncoder encoder, TruncationPolicy policy, DataCounters counters) {
        this(encoder, policy, counters, ContextTemplate.defaults());
    }

    /**
     * Creates a tokenizer that renders pair contexts with {@code contextTemplate}.
     *
     * @param encoder the text encoder
     * @param policy the truncation policy
     * @param counters where truncations, drops and invalid examples are counted
     * @param contextTemplate how a pair's context is rendered into its prompt
     */
    public ExampleTokenizer(
            TextEncoder encoder,
            TruncationPolicy policy,
            DataCounters counters,
            ContextTemplate contextTemplate) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.contextTemplate = Objects.requireNonNull(contextTemplate, "contextTemplate");
    }

    /** The counters. */
    public DataCounters counters() {
        return counters;
    }

    /** One example: a prompt and K responses. */
    private record Job(Source source, Text prompt, List<Text> responses) {}

    /**
     * The texts of one job queued for the batch call: the index of each in the batch, -1 when not
     * queued; the full rendered strings stay for the checks and for fallbacks.
     */
    private static final class Queued {
        String[] full; // rendered prompt, then each response
        int[] index; // batch index of each (possibly cut) text
        boolean[] cut; // whether each text was cut
        int head = -1; // batch index of a cut prompt's start
        int[] tail; // batch index of each cut response's end (KEEP_DIFFERING_TAIL only), or -1
    }

    /**
     * Encodes jobs; returns per job the K sequences (null when invalid or dropped, already
     * counted).
     */
    private List<TokenizedSequence[]> run(List<Job> jobs, boolean distinctResponses) {
        // Render every prompt and response (chat templates are the costly part; rendering is
        // thread-safe, so a chunk is rendered on the common pool), then encode all texts of the
        // chunk in one native batch call.
        String[][] rendered = new String[jobs.size()][];
        IntStream range = IntStream.range(0, jobs.size());
        (jobs.size() >= 32 ? range.parallel() : range)
                .forEach(i -> rendered[i] = render(jobs.get(i)));
        int limit = policy.maxLength();
        long maxChars = (long) limit * CHARS_PER_TOKEN;
        boolean keepEnds = policy instanceof TruncationPolicy.KeepEnd;
        boolean tails =
                distinctResponses
                        && policy.identical() == IdenticalAfterTruncation.KEEP_DIFFERING_TAIL;
        List<String> texts = new ArrayList<>();
        List<Queued> queued = new ArrayList<>(jobs.size());
        for (String[] r : rendered) {
            Queued q = new Queued();
            q.full = r;
            q.index = new int[r.length];
            q.cut = new boolean[r.length];
            q.tail = new int[r.length];
            Arrays.fill(q.tail, -1);
            for (int t = 0; t < r.length; t++) {
                String text = r[t];
                q.index[t] = texts.size();
                if (text.length() <= maxChars) {
                    texts.add(text);
                    continue;
                }
                q.cut[t] = true;
                boolean keepStart = t > 0 && !keepEnds; // responses keep their start, prompts end
                texts.add(keepStart ? start(text, maxChars) : end(text, maxChars));
                if (t == 0) {
                    q.head = texts.size();
                    texts.add(start(text, HEAD_CHARS));
                } else if (tails && keepStart) {
                    q.tail[t] = texts.size();
                    texts.add(end(text, maxChars));
                }
            }
            queued.add(q);
        }
        int[][] ids = encoder.encodeBatch(texts.toArray(new String[0]));
        List<TokenizedSequence[]> out = new ArrayList<>(jobs.size());
        for (int ji = 0; ji < jobs.size(); ji++) {
            Job j = jobs.get(ji);
            Queued q = queued.get(ji);
            int k = j.responses().size();
            int[] prefix = encoder.prefixFor(q.full[0]);
            int[] prompt = encoded(q, 0, ids, limit);
            int[][] responses = new int[k][];
            int[][] responseTails = new int[k][];
            String invalid = null;
            for (int r = 0; r < k; r++) {
                Text text = j.responses().get(r);
                if (text.isEmpty()) {
                    invalid = "empty response " + r;
                }
                boolean eos = encoder.appendsEos(text);
                responses[r] = withEos(encoded(q, 1 + r, ids, limit), eos);
                responseTails[r] =
                        q.tail[1 + r] >= 0 ? withEos(ids[q.tail[1 + r]], eos) : responses[r];
            }
            if (invalid == null && distinctResponses && k == 2 && identical(q, responses)) {
                invalid = "chosen equals rejected";
            }
            int[] start = concat(prefix, q.head >= 0 ? ids[q.head] : prompt);
            if (invalid == null
                    && encoder.startsWithDoubleBos(
                            k > 0 && q.head < 0 ? concat(start, responses[0]) : start)) {
                invalid = "starts with BOS BOS";
            }
            if (invalid != null) {
                counters.invalid(j.source().toString(), invalid);
                out.add(null);
                continue;
            }
            Cut cut = truncate(j.source(), prefix.length, concat(prefix, prompt), responses);
            out.add(
                    cut == null
                            ? null
                            : checked(j.source(), cut, responseTails, distinctResponses));
        }
        return out;
    }

    /** The first {@code n} characters of {@code s} (never splitting a surrogate pair). */
    private static String start(String s, long n) {
        int end = (int) Math.min(s.length(), n);
        if (end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The last {@code n} characters of {@code s} (never splitting a surrogate pair). */
    private static String end(String s, long n) {
        int begin = (int) Math.max(0, s.length() - n);
        if (begin > 0 && begin < s.length() && Character.isLowSurrogate(s.charAt(begin))) {
            begin++;
        }
        return s.substring(begin);
    }

    /**
     * The ids of text {@code t} of a job: its batch encoding, or, for a cut text whose encoding is
     * too short for the cut to be invisible, the encoding of the whole text.
     */
    private int[] encoded(Queued q, int t, int[][] ids, int limit) {
        int[] e = ids[q.index[t]];
        if (q.cut[t] && e.length <= limit + MARGIN_TOKENS) {
            return encoder.encode(q.full[t], false);
        }
        return e;
    }

    private int[] withEos(int[] resp, boolean eos) {
        if (eos && (resp.length == 0 || resp[resp.length - 1] != encoder.eosId())) {
            resp = Arrays.copyOf(resp, resp.length + 1);
            resp[resp.length - 1] = encoder.eosId();
        }
        return resp;
    }

    /**
     * Whether the two responses are the same before truncation: equal ids, or, when a text was cut
     * before encoding, equal rendered texts.
     */
    private static boolean identical(Queued q, int[][] responses) {
        if (q.cut[1] || q.cut[2]) {
            return q.full[1].equals(q.full[2]);
        }
        return Arrays.equals(responses[0], responses[1]);
    }

    /** The prompt text followed by each response text of one job. */
    private String[] render(Job j) {
        try {
            String[] out = new String[1 + j.responses().size()];
            out[0] = encoder.renderPrompt(j.prompt(), j.responses().get(0));
            for (int r = 0; r < j.responses().size(); r++) {
                out[1 + r] = encoder.renderResponse(j.prompt(), out[0], j.responses().get(r));
            }
            return out;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(j.source() + ": " + e.getMessage(), e);
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Truncated sequences of one example with what was cut (counted only when the example is kept).
     */
    private record Cut(TokenizedSequence[] seqs, int prompts, int responses, int eos) {
        boolean any() {
            return prompts + responses + eos > 0;
        }
    }

    /**
     * The final checks on a truncated example: a pair made identical by the cut is dropped (or
     * re-cut to keep its differing tails), a sequence with no response token or starting with BOS
     * BOS is invalid; the example is counted as kept-truncated only when it survives.
     */
    private TokenizedSequence[] checked(
            Source source, Cut cut, int[][] responseTails, boolean distinctResponses) {
        TokenizedSequence[] seqs = cut.seqs();
        if (distinctResponses && seqs.length == 2 && Arrays.equals(seqs[0].ids(), seqs[1].ids())) {
            TokenizedSequence[] kept =
                    policy.identical() == IdenticalAfterTruncation.KEEP_DIFFERING_TAIL
                            ? tails(seqs[0].promptIds(), responseTails)
                            : null;
            if (kept == null) {
                counters.identicalAfterTruncation(
                        source.toString(),
                        "chosen equals rejected after truncation to "
                                + seqs[0].length()
                                + " tokens (they differ only in the part that was cut)");
                return null;
            }
            counters.tailKept();
            seqs = kept;
        }
        for (TokenizedSequence s : seqs) {
            if (s.responseLength() == 0) {
                counters.invalid(source.toString(), "no response token left after truncation");
                return null;
            }
            if (encoder.startsWithDoubleBos(s.ids())) {
                counters.invalid(source.toString(), "starts with BOS BOS after truncation");
                return null;
            }
        }
        if (cut.any()) {
            counters.truncated(cut.prompts(), cut.responses(), cut.eos());
        }
        return seqs;
    }

    /**
     * The pair with each response cut to its last tokens after {@code prompt}; null when the
     * responses' tails are identical too.
     */
    private TokenizedSequence[] tails(int[] prompt, int[][] responseTails) {
        int room = policy.maxLength() - prompt.length;
        TokenizedSequence[] out = new TokenizedSequence[responseTails.length];
        for (int r = 0; r < responseTails.length; r++) {
            int[] resp = responseTails[r];
            int[] tail = Arrays.copyOfRange(resp, Math.max(0, resp.length - room), resp.length);
            out[r] = new TokenizedSequence(concat(prompt, tail), prompt.length);
        }
        return Arrays.equals(out[0].ids(), out[1].ids()) ? null : out;
    }

    /** Applies the policy to one prompt + K responses; null when dropped (counted). */
    private Cut truncate(Source source, int prefixLen, int[] prompt, int[][] responses) {
        int limit = policy.maxLength();
        int promptsCut = 0;
        if (policy instanceof TruncationPolicy.KeepPromptEnd k
                && k.maxPromptLength() > 0
                && prompt.length > k.maxPromptLength()) {
            if (k.maxPromptLength() - prefixLen < 1) {
                counters.dropped(
                        source.toString(),
                        "max prompt length "
                                + k.maxPromptLength()
                                + " leaves no prompt token after "
                                + prefixLen
                                + " special tokens");
                return null;
            }
            prompt = promptEnd(prompt, prefixLen, k.maxPromptLength());
            promptsCut = responses.length;
        }
        int maxResp = 0;
        for (int[] r : responses) {
            maxResp = Math.max(maxResp, r.length);
        }
        if (prompt.length + maxResp <= limit) {
            TokenizedSequence[] out = new TokenizedSequence[responses.length];
            for (int r = 0; r < responses.length; r++) {
                out[r] = new TokenizedSequence(concat(prompt, responses[r]), prompt.length);
            }
            return new Cut(out, promptsCut, 0, 0);
        }
        if (policy instanceof TruncationPolicy.KeepEnd) {
            return keepEnd(prompt, responses, limit);
        }
        if (policy instanceof TruncationPolicy.KeepPromptEnd k) {
            return keepPromptEnd(source, k, prefixLen, prompt, responses, promptsCut);
        }
        counters.dropped(
                source.toString(),
                "length " + (prompt.length + maxResp) + " > maxLength " + limit + " (Drop policy)");
        return null;
    }

    /**
     * The prompt's {@code prefixLen} special tokens followed by its last tokens, {@code n} in all.
     */
    private static int[] promptEnd(int[] prompt, int prefixLen, int n) {
        int body = n - prefixLen;
        int[] kept = new int[n];
        System.arraycopy(prompt, 0, kept, 0, prefixLen);
        System.arraycopy(prompt, prompt.length - body, kept, prefixLen, body);
        return kept;
    }

    private Cut keepEnd(int[] prompt, int[][] responses, int limit) {
        TokenizedSequence[] out = new TokenizedSequence[responses.length];
        int prompts = 0;
        int resps = 0;
        for (int r = 0; r < responses.length; r++) {
            int[] full = concat(prompt, responses[r]);
            int cut = Math.max(0, full.length - limit);
            prompts += cut > 0 && prompt.length > 0 ? 1 : 0;
            resps += cut > prompt.length ? 1 : 0;
            out[r] =
                    new TokenizedSequence(
                            Arrays.copyOfRange(full, cut, full.length),
                            Math.max(0, prompt.length - cut));
        }
        return new Cut(out, prompts, resps, 0);
    }

    private Cut keepPromptEnd(
            Source source,
            TruncationPolicy.KeepPromptEnd k,
            int prefixLen,
            int[] prompt,
            int[][] responses,
            int promptsCut) {
        int limit = k.maxLength();
        int maxResp = 0;
        for (int[] r : responses) {
            maxResp = Math.max(maxResp, r.length);
        }
        int respBudget = Math.min(maxResp, Math.max(k.reserveResponse(), limit - prompt.length));
        int promptBudget = limit - respBudget;
        int[] keptPrompt = prompt;
        if (prompt.length > promptBudget) {
            if (promptBudget - prefixLen < 1) {
                counters.dropped(
                        source.toString(),
                        "prompt of "
                                + prompt.length
                                + " tokens leaves no room under maxLength "
                                + limit);
                return null;
            }
            keptPrompt = promptEnd(prompt, prefixLen, promptBudget);
            promptsCut = responses.length;
        }
        int room = limit - keptPrompt.length;
        int respsCut = 0;
        int eosForced = 0;
        TokenizedSequence[] out = new TokenizedSequence[responses.length];
        for (int r = 0; r < responses.length; r++) {
            int[] resp = responses[r];
            if (resp.length > room) {
                resp = Arrays.copyOf(resp, room);
                respsCut++;
                if (k.forceEos() && encoder.eosId() >= 0) {
                    resp[room - 1] = encoder.eosId();
                    eosForced++;
                }
            }
            out[r] = new TokenizedSequence(concat(keptPrompt, resp), keptPrompt.length);
        }
        return new Cut(out, promptsCut, respsCut, eosForced);
    }

    /**
     * Tokenizes preference pairs. A pair's context is rendered into its prompt with the context
     * template first; its user id is carried into the tokenized pair.
     *
     * @param chunk the pairs (a few hundred at a time for throughput)
     * @return the kept pairs, in order
     */
    public List<TokenizedPair> pairs(List<PreferencePair> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (PreferencePair p : chunk) {
            Text prompt = contextTemplate.apply(p).prompt();
            jobs.add(new Job(p.source(), prompt, List.of(p.chosen(), p.rejected())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, true);
        List<TokenizedPair> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            TokenizedSequence[] s = seqs.get(i);
            if (s != null) {
                PreferencePair p = chunk.get(i);
                out.add(
                        new TokenizedPair(
                                p.id(),
                                s[0],
                                s[1],
                                p.margin(),
                                p.weight(),
                                p.source(),
                                p.userId()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes ranked lists (all items share the prompt tokens). */
    public List<TokenizedList> lists(List<RankedList> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (RankedList l : chunk) {
            jobs.add(new Job(l.source(), l.prompt(), l.responses()));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedList> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                RankedList l = chunk.get(i);
                out.add(new TokenizedList(l.id(), List.of(seqs.get(i)), l.scores(), l.source()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes rated responses. */
    public List<TokenizedRated> rated(List<RatedResponse> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (RatedResponse r : chunk) {
            jobs.add(new Job(r.source(), r.prompt(), List.of(r.response())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedRated> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                RatedResponse r = chunk.get(i);
                out.add(
                        new TokenizedRated(
                                r.id(), seqs.get(i)[0], r.ratings(), r.present(), r.source()));
                counters.kept();
            }
        }
        return out;
    }

    /** Tokenizes unpaired feedback. */
    public List<TokenizedUnpaired> unpaired(List<UnpairedFeedback> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (UnpairedFeedback u : chunk) {
            jobs.add(new Job(u.source(), u.prompt(), List.of(u.completion())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<TokenizedUnpaired> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                UnpairedFeedback u = chunk.get(i);
                out.add(new TokenizedUnpaired(u.id(), seqs.get(i)[0], u.desirable(), u.source()));
                counters.kept();
            }
        }
        return out;
    }

    /**
     * Tokenizes weighted supervised examples: each becomes the prompt followed by its response,
     * with the response tokens (including an appended EOS) as the loss targets.
     */
    public List<WeightedSequence> weighted(List<WeightedExample> chunk) {
        List<Job> jobs = new ArrayList<>(chunk.size());
        for (WeightedExample w : chunk) {
            jobs.add(new Job(w.source(), w.prompt(), List.of(w.response())));
        }
        List<TokenizedSequence[]> seqs = run(jobs, false);
        List<WeightedSequence> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            if (seqs.get(i) != null) {
                WeightedExample w = chunk.get(i);
                TokenizedSequence s = seqs.get(i)[0];
                boolean[] target = new boolean[s.length()];
                // the first token is never a target (nothing predicts it)
                for (int t = Math.max(1, s.promptLength()); t < s.length(); t++) {
                    target[t] = true;
                }
                out.add(new WeightedSequence(w.id(), s.ids(), target, w.weight(), w.source()));
                counters.kept();
            }
        }
        return out;
    }
}

package dev.reward4j.core.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.TokenizedSequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns prompts and responses into token ids exactly as the HF reference stack does, with every
 * tokenizer option explicit: DJL's HuggingFace tokenizer is created with {@code padding=false,
 * truncation=false} (reward4j pads and truncates itself), chat templates come from {@code
 * tokenizer_config.json} and are rendered by {@link ChatTemplate}.
 *
 * <p><b>BOS rule:</b> the tokenizer's special prefix (e.g. {@code <bos>}, read off its
 * post-processor) is added to a prompt unless the prompt text already starts with the BOS token (a
 * template that emits BOS), so BOS is never doubled. Responses are encoded without special tokens.
 * <b>EOS rule:</b> {@link EosPolicy}.
 *
 * <p>Conversations: the prompt is rendered with {@code add_generation_prompt=true}; the response is
 * the rest of the full conversation's rendering after that prefix (TRL's rule), so the response
 * tokens include the template's end-of-turn tokens. A plain-text prompt paired with a conversation
 * response becomes one user message; a plain-text response after a conversation prompt becomes one
 * assistant message.
 *
 * <p>Thread-safe for encoding and rendering; {@link #close()} frees the native tokenizer.
 */
public final class TextEncoder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final HuggingFaceTokenizer tokenizer;
    private final ChatTemplate template;
    private final String bosToken;
    private final String eosToken;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int[] specialPrefix;
    private final EosPolicy eosPolicy;

    private TextEncoder(
            Path dir, HuggingFaceTokenizer tokenizer, JsonNode config, EosPolicy eosPolicy) {
        this.dir = dir;
        this.tokenizer = tokenizer;
        this.eosPolicy = eosPolicy;
        this.bosToken = tokenText(config, "bos_token");
        this.eosToken = tokenText(config, "eos_token");
        String padToken = tokenText(config, "pad_token");
        this.bosId = singleId(bosToken);
        this.eosId = singleId(eosToken);
        int pad = singleId(padToken);
        this.padId = pad >= 0 ? pad : eosId;
        JsonNode tpl = config.get("chat_template");
        String templateSource = null;
        if (tpl != null && tpl.isTextual()) {
            templateSource = tpl.asText();
        } else if (tpl != null && tpl.isArray()) {
            for (JsonNode named : tpl) {
                if ("default".equals(named.path("name").asText())) {
                    templateSource = named.path("template").asText();
                }
            }
        }
        if (templateSource == null) {
            Path jinja = dir.resolve("chat_template.jinja");
            if (Files.isRegularFile(jinja)) {
                try {
                    templateSource = Files.readString(jinja);
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "text: cannot read " + jinja + " (" + e.getMessage() + ")", e);
                }
            }
        }
        this.template =
                templateSource == null
                        ? null
                        : new ChatTemplate(templateSource, bosToken, eosToken);
        int[] withSpecial = encode("a", true);
        int[] without = encode("a", false);
        int start = indexOf(withSpecial, without);
        this.specialPrefix = start <= 0 ? new int[0] : Arrays.copyOfRange(withSpecial, 0, start);
    }

    /** Loads with {@link EosPolicy#APPEND_TO_PLAIN_TEXT}. See {@link #load(Path, EosPolicy)}. */
    public static TextEncoder load(Path modelDir) {
        return load(modelDir, EosPolicy.APPEND_TO_PLAIN_TEXT);
    }

    /**
     * Loads {@code tokenizer.json} and (when present) {@code tokenizer_config.json} from a model
     * directory.
     *
     * @param modelDir directory with {@code tokenizer.json} (+ {@code tokenizer_config.json} for
     *     special tokens and the chat template, or {@code chat_template.jinja})
     * @param eosPolicy when EOS is appended to responses
     * @throws IllegalArgumentException naming the directory and the missing or unreadable file
     */
    public static TextEncoder load(Path modelDir, EosPolicy eosPolicy) {
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException(
                    "text: model directory has no tokenizer.json ("
                            + modelDir.toAbsolutePath()
                            + "); expected tokenizer.json + tokenizer_config.json as saved by"
                            + " save_pretrained. Pass the checkpoint directory, not a file");
        }
        JsonNode config = JSON.createObjectNode();
        Path configJson = modelDir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(configJson)) {
            try {
                config = JSON.readTree(configJson.toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "text: cannot parse "
                                + configJson
                                + " ("
                                + e.getMessage()
                                + "); expected a JSON object",
                        e);
            }
        }
        HuggingFaceTokenizer tok;
        try {
            // Every option explicit: DJL's defaults silently truncate to 512 and pad to the
            // longest.
            tok =
                    HuggingFaceTokenizer.newInstance(
                            tokenizerJson,
                            Map.of(
                                    "padding",
                                    "false",
                                    "truncation",
                                    "false",
                                    "addSpecialTokens",
                                    "true"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "text: cannot load "
                            + tokenizerJson
                            + " ("
                            + e.getMessage()
                            + "); expected a HuggingFace tokenizer.json",
                    e);
        }
        return new TextEncoder(modelDir, tok, config, eosPolicy);
    }

    private static String tokenText(JsonNode config, String key) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return "";
        }
        return n.isTextual() ? n.asText() : n.path("content").asText("");
    }

    private int singleId(String token) {
        if (token.isEmpty()) {
            return -1;
        }
        int[] ids = encode(token, false);
        return ids.length == 1 ? ids[0] : -1;
    }

    private static int indexOf(int[] haystack, int[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The model directory this encoder was loaded from. */
    public Path directory() {
        return dir;
    }

    /** BOS id, or -1 when the tokenizer has none. */
    public int bosId() {
        return bosId;
    }

    /** EOS id, or -1 when the tokenizer has none. */
    public int eosId() {
        return eosId;
    }

    /**
     * Pad id: {@code pad_token} from the config, else EOS. Padding is marked by the attention mask;
     * with pad == EOS a reward head's default pooling ({@code RewardPooling.HF}, transformers'
     * rule) reads the last token that is not EOS, so a trailing EOS is not the scored token.
     */
    public int padId() {
        return padId;
    }

    /**
     * Padding for this tokenizer on {@code side}: its pad id (0 when it has none) and its BOS id.
     *
     * @param side left or right padding
     * @return the padding of collated batches
     */
    public Padding padding(PaddingSide side) {
        return new Padding(side, padId() >= 0 ? padId() : 0, 1, bosId());
    }

    /** BOS token text ({@code ""} when none). */
    public String bosToken() {
        return bosToken;
    }

    /**
     * The special tokens the tokenizer puts before a single sequence (e.g. {@code [bos]}); a copy.
     */
    public int[] specialPrefix() {
        return specialPrefix.clone();
    }

    /** The EOS policy. */
    public EosPolicy eosPolicy() {
        return eosPolicy;
    }

    /** The chat template, when {@code tokenizer_config.json} has one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(template);
    }

    /**
     * Raw encoding, as HF {@code tokenizer(text, add_special_tokens=...)} with no padding and no
     * truncation.
     *
     * @param text the text
     * @param addSpecialTokens whether the post-processor adds special tokens
     * @return the ids
     */
    public int[] encode(String text, boolean addSpecialTokens) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long enc = lib.encode(tokenizer.getHandle(), text, addSpecialTokens);
        try {
            return toInts(lib.getTokenIds(enc));
        } finally {
            lib.deleteEncoding(enc);
        }
    }

    /**
     * Encodes many texts without special tokens in one native call (parallel inside the Rust
     * tokenizer).
     *
     * @param texts the texts
     * @return ids per text
     */
    public int[][] encodeBatch(String[] texts) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long[] encs = lib.batchEncode(tokenizer.getHandle(), texts, false);
        int[][] out = new int[texts.length][];
        try {
            for (int i = 0; i < encs.length; i++) {
                out[i] = toInts(lib.getTokenIds(encs[i]));
            }
        } finally {
            for (long e : encs) {
                lib.deleteEncoding(e);
            }
        }
        return out;
    }

    /** HF {@code tokenizer(a, b)}: a sequence pair with the post-processor's pair template. */
    public int[] encodePair(String a, String b) {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        long enc = lib.encodeDual(tokenizer.getHandle(), a, b, true);
        try {
            return toInts(lib.getTokenIds(enc));
        } finally {
            lib.deleteEncoding(enc);
        }
    }

    /** Decodes ids (HF {@code decode}). */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, skipSpecialTokens);
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /**
     * Renders a conversation with the chat template (HF {@code apply_chat_template(...,
     * tokenize=False)}).
     *
     * @throws IllegalArgumentException when the tokenizer has no chat template
     */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        return requireTemplate().render(messages, addGenerationPrompt);
    }

    private ChatTemplate requireTemplate() {
        if (template == null) {
            throw new IllegalArgumentException(
                    "text: conversation given but "
                            + dir.resolve("tokenizer_config.json")
                            + " has no chat_template; expected a chat template or plain-text rows."
                            + " Use a tokenizer with a template or convert the data to text");
        }
        return template;
    }

    /**
     * The prompt as text to encode: plain text as is, a conversation rendered with {@code
     * add_generation_prompt=true} (an empty conversation renders to {@code ""}). When the response
     * is a conversation a plain prompt becomes a user message.
     */
    public String renderPrompt(Text prompt, Text response) {
        if (prompt instanceof PlainText p && response instanceof PlainText) {
            return p.text();
        }
        List<Message> msgs = promptMessages(prompt);
        return msgs.isEmpty() ? "" : requireTemplate().render(msgs, true);
    }

    /**
     * The response as text to encode: plain text as is after a plain prompt; otherwise the full
     * rendered conversation minus {@code renderedPrompt}.
     *
     * @throws IllegalArgumentException when the rendered prompt is not a prefix of the rendered
     *     conversation
     */
    public String renderResponse(Text prompt, String renderedPrompt, Text response) {
        if (prompt instanceof PlainText && response instanceof PlainText r) {
            return r.text();
        }
        List<Message> all = new ArrayList<>(promptMessages(prompt));
        all.addAll(
                response instanceof Conversation c
                        ? c.messages()
                        : List.of(new Message("assistant", ((PlainText) response).text())));
        String full = requireTemplate().render(all, false);
        if (full.startsWith(renderedPrompt)) {
            return full.substring(renderedPrompt.length());
        }
        String withoutGen =
                promptMessages(prompt).isEmpty()
                        ? ""
                        : template.render(promptMessages(prompt), false);
        if (full.startsWith(withoutGen)) {
            return full.substring(withoutGen.length());
        }
        throw new IllegalArgumentException(
                "chat template: the rendered prompt is not a prefix of the rendered conversation;"
                    + " expected a template whose output for the prompt messages is a prefix of the"
                    + " output for prompt + response");
    }

    private static List<Message> promptMessages(Text prompt) {
        if (prompt instanceof Conversation c) {
            return c.messages();
        }
        String t = ((PlainText) prompt).text();
        return t.isEmpty() ? List.of() : List.of(new Message("user", t));
    }

    /**
     * The special prefix to put before an encoded prompt text: empty when the text already starts
     * with BOS.
     */
    public int[] prefixFor(String renderedPrompt) {
        if (!bosToken.isEmpty() && renderedPrompt.startsWith(bosToken)) {
            return new int[0];
        }
        return specialPrefix;
    }

    /** Whether EOS is appended to {@code response} under this encoder's {@link EosPolicy}. */
    public boolean appendsEos(Text response) {
        if (eosId < 0) {
            return false;
        }
        return switch (eosPolicy) {
            case ALWAYS -> true;
            case NEVER -> false;
            case APPEND_TO_PLAIN_TEXT -> response instanceof PlainText;
        };
    }

    /**
     * Assembles a sequence from an already encoded prompt text and response text (the building
     * block of the batched {@link ExampleTokenizer}).
     *
     * @param prefix from {@link #prefixFor(String)}
     * @param promptIds prompt text ids without special tokens
     * @param responseIds response text ids without special tokens
     * @param appendEos from {@link #appendsEos(Text)}; EOS is not added twice
     */
    public TokenizedSequence assemble(
            int[] prefix, int[] promptIds, int[] responseIds, boolean appendEos) {
        boolean eos =
                appendEos
                        && (responseIds.length == 0
                                || responseIds[responseIds.length - 1] != eosId);
        int[] ids = new int[prefix.length + promptIds.length + responseIds.length + (eos ? 1 : 0)];
        System.arraycopy(prefix, 0, ids, 0, prefix.length);
        System.arraycopy(promptIds, 0, ids, prefix.length, promptIds.length);
        int promptLength = prefix.length + promptIds.length;
        System.arraycopy(responseIds, 0, ids, promptLength, responseIds.length);
        if (eos) {
            ids[ids.length - 1] = eosId;
        }
        return new TokenizedSequence(ids, promptLength);
    }

    /**
     * Encodes one prompt + response (single-example path; {@link ExampleTokenizer} batches the same
     * steps).
     *
     * @return the sequence, prompt tokens first
     */
    public TokenizedSequence encode(Text prompt, Text response) {
        String p = renderPrompt(prompt, response);
        String r = renderResponse(prompt, p, response);
        return assemble(prefixFor(p), encode(p, false), encode(r, false), appendsEos(response));
    }

    /** True when {@code ids} starts with two BOS tokens (a doubled BOS). */
    public boolean startsWithDoubleBos(int[] ids) {
        return bosId >= 0 && ids.length >= 2 && ids[0] == bosId && ids[1] == bosId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

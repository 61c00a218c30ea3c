package dev.reward4j.core.text;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.tree.Node;
import dev.reward4j.core.data.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A HuggingFace chat template ({@code tokenizer_config.json -> chat_template}) rendered with
 * jinjava using the settings of {@code transformers}' {@code apply_chat_template}: {@code
 * trim_blocks=True}, {@code lstrip_blocks=True}, a single trailing newline of the template source
 * dropped ({@code keep_trailing_newline=False}), Python operator precedence, and the variables
 * {@code messages}, {@code add_generation_prompt}, {@code bos_token}, {@code eos_token} plus the
 * function {@code raise_exception(msg)}.
 *
 * <p>Thread-safe: each thread renders with its own jinjava instance and each render with its own
 * interpreter.
 */
public final class ChatTemplate {
    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final ThreadLocal<Engine> engines;

    /**
     * Compiles a template.
     *
     * @param source the Jinja source from {@code tokenizer_config.json}
     * @param bosToken the BOS token text ({@code ""} when the tokenizer has none)
     * @param eosToken the EOS token text ({@code ""} when the tokenizer has none)
     */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        Objects.requireNonNull(source, "source");
        this.source = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        this.bosToken = Objects.requireNonNullElse(bosToken, "");
        this.eosToken = Objects.requireNonNullElse(eosToken, "");
        this.engines = ThreadLocal.withInitial(() -> new Engine(this.source));
        engines.get(); // parse now so a broken template fails at load time
    }

    /**
     * One jinjava instance and parsed tree per thread: jinjava contexts share mutable state with
     * their parent, so renders on different threads must not share a {@link Jinjava}.
     */
    private static final class Engine {
        final Jinjava jinjava;
        final Node parsed;

        Engine(String source) {
            LegacyOverrides python =
                    LegacyOverrides.newBuilder()
                            .withUseNaturalOperatorPrecedence(true)
                            .withParseWhitespaceControlStrictly(true)
                            .withUseTrimmingForNotesAndExpressions(true)
                            .withAllowAdjacentTextNodes(true)
                            .withKeepNullableLoopValues(true)
                            .withEvaluateMapKeys(true)
                            .build();
            JinjavaConfig config =
                    JinjavaConfig.newBuilder()
                            .withTrimBlocks(true)
                            .withLstripBlocks(true)
                            .withFailOnUnknownTokens(false)
                            .withLegacyOverrides(python)
                            .build();
            this.jinjava = new Jinjava(config);
            jinjava.getGlobalContext()
                    .registerFunction(
                            new ELFunctionDefinition(
                                    "",
                                    "raise_exception",
                                    ChatTemplate.class,
                                    "raiseException",
                                    String.class));
            // Parse once; every render walks the same tree with a fresh interpreter.
            JinjavaInterpreter parser = jinjava.newInterpreter();
            JinjavaInterpreter.pushCurrent(parser);
            try {
                this.parsed = parser.parse(source);
            } finally {
                JinjavaInterpreter.popCurrent();
            }
            for (TemplateError e : parser.getErrors()) {
                if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                    throw new IllegalArgumentException(
                            "chat template: cannot parse ("
                                    + e.getMessage()
                                    + "); expected a Jinja template as in"
                                    + " tokenizer_config.json");
                }
            }
        }
    }

    /** The template source (without the dropped trailing newline). */
    public String source() {
        return source;
    }

    /**
     * Renders {@code messages}.
     *
     * @param messages the conversation
     * @param addGenerationPrompt whether to append the assistant header (HF {@code
     *     add_generation_prompt})
     * @return the rendered text (encode it with {@link TextEncoder}, which never doubles BOS)
     * @throws IllegalArgumentException when the template calls {@code raise_exception} or fails to
     *     render
     */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> msgs = new ArrayList<>(messages.size());
        for (Message m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            msgs.add(map);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", msgs);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        // A child of the global context: copying the global context per render re-registers every
        // filter and tag.
        Engine engine = engines.get();
        Jinjava jinjava = engine.jinjava;
        JinjavaInterpreter interpreter =
                new JinjavaInterpreter(
                        jinjava,
                        new Context(jinjava.getGlobalContext(), bindings),
                        jinjava.getGlobalConfig());
        String output;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            output = interpreter.render(engine.parsed, false);
        } catch (TemplateRaised e) {
            throw failed(e.getMessage());
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        for (TemplateError e : interpreter.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                String msg = e.getMessage();
                Throwable cause = e.getException();
                while (cause != null) {
                    if (cause instanceof TemplateRaised raised) {
                        msg = raised.getMessage();
                        break;
                    }
                    cause = cause.getCause();
                }
                throw failed(msg);
            }
        }
        return output;
    }

    private static IllegalArgumentException failed(String msg) {
        return new IllegalArgumentException(
                "chat template: rendering failed ("
                        + msg
                        + "); expected a conversation the template accepts. Check the"
                        + " roles and their order");
    }

    /**
     * The {@code raise_exception} function available to templates.
     *
     * @param message the template's message
     * @return never returns
     */
    public static Object raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** The exception thrown by {@code raise_exception}. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }
}

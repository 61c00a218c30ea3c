package dev.reward4j.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Message;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    // HuggingFaceH4/zephyr-7b-beta's template, written one tag per line: relies on trim_blocks +
    // lstrip_blocks.
    static final String ZEPHYR =
            "{% for message in messages %}\n"
                    + "{% if message['role'] == 'user' %}\n"
                    + "{{ '<|user|>\\n' + message['content'] + eos_token }}\n"
                    + "{% elif message['role'] == 'system' %}\n"
                    + "{{ '<|system|>\\n' + message['content'] + eos_token }}\n"
                    + "{% elif message['role'] == 'assistant' %}\n"
                    + "{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n"
                    + "{% endif %}\n"
                    + "{% if loop.last and add_generation_prompt %}\n"
                    + "{{ '<|assistant|>' }}\n"
                    + "{% endif %}\n"
                    + "{% endfor %}\n";

    // Llama-3 style: explicit whitespace control and bos_token emitted by the template.
    static final String LLAMA3 =
            "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content ="
                + " '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n"
                + "\\n"
                + "' + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set"
                + " content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if"
                + " add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n"
                + "\\n"
                + "' }}{% endif %}";

    @Nested
    class HfSemantics {
        @Test
        void trimAndLstripBlocksGiveTheZephyrRendering() {
            ChatTemplate t = new ChatTemplate(ZEPHYR, "<s>", "</s>");
            List<Message> msgs =
                    List.of(new Message("system", "Be brief."), new Message("user", "hi"));
            assertEquals(
                    "<|system|>\nBe brief.</s>\n<|user|>\nhi</s>\n<|assistant|>\n",
                    t.render(msgs, true));
            assertEquals("<|system|>\nBe brief.</s>\n<|user|>\nhi</s>\n", t.render(msgs, false));
        }

        @Test
        void bosTokenAndFiltersAreAvailable() {
            ChatTemplate t = new ChatTemplate(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
            String out = t.render(List.of(new Message("user", "  Hello  ")), true);
            assertEquals(
                    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>"
                            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
                    out);
        }

        @Test
        void lstripBlocksRemovesIndentationBeforeABlockTag() {
            ChatTemplate t = new ChatTemplate("    {% if true %}\nX\n    {% endif %}\nY", "", "");
            assertEquals("X\nY", t.render(List.of(), false));
        }

        @Test
        void aSingleTrailingNewlineOfTheTemplateIsDropped() {
            ChatTemplate t = new ChatTemplate("{{ messages[0]['content'] }}\n", "", "");
            assertEquals("a", t.render(List.of(new Message("user", "a")), false));
        }

        @Test
        void dotAccessWorksOnMessages() {
            ChatTemplate t =
                    new ChatTemplate(
                            "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}",
                            "", "");
            assertEquals(
                    "[user:a][assistant:b]",
                    t.render(
                            List.of(new Message("user", "a"), new Message("assistant", "b")),
                            false));
        }
    }

    @Nested
    class Concurrency {
        @Test
        void parallelRendersGiveTheSequentialResult() {
            ChatTemplate t = new ChatTemplate(ZEPHYR, "<s>", "</s>");
            List<String> expected =
                    java.util.stream.IntStream.range(0, 400)
                            .mapToObj(
                                    i ->
                                            t.render(
                                                    List.of(new Message("user", "q" + i)),
                                                    i % 2 == 0))
                            .toList();
            List<String> parallel =
                    java.util.stream.IntStream.range(0, 400)
                            .parallel()
                            .mapToObj(
                                    i ->
                                            t.render(
                                                    List.of(new Message("user", "q" + i)),
                                                    i % 2 == 0))
                            .toList();
            assertEquals(expected, parallel);
        }
    }

    @Nested
    class Validation {
        @Test
        void raiseExceptionBecomesAnIllegalArgumentWithTheTemplatesMessage() {
            ChatTemplate t =
                    new ChatTemplate(
                            "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation"
                                    + " roles must alternate user/assistant') }}{% endif %}ok",
                            "", "");
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> t.render(List.of(new Message("assistant", "x")), false));
            assertTrue(
                    e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
            assertEquals("ok", t.render(List.of(new Message("user", "x")), false));
        }
    }
}

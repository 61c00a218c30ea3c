package dev.reward4j.core.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a minimal TorchScript archive (file format version 3) for a parameter-free module, without
 * Python.
 *
 * <p>The zip has five stored entries under one root folder: {@code data.pkl} (a protocol-2 pickle
 * that instantiates {@code __torch__.<Class>} with {@code training = True}), {@code
 * code/__torch__.py} (the TorchScript source of the class), {@code constants.pkl} (an empty tuple),
 * {@code version} ({@code 3}) and {@code byteorder} ({@code little}). libtorch's importer compiles
 * the class from the source when the unpickler resolves the global.
 */
final class TorchScriptArchive {
    private TorchScriptArchive() {}

    /**
     * The archive bytes for module class {@code className} whose {@code forward} has the given
     * TorchScript signature (without {@code self}) and body.
     *
     * @param className Python class name, e.g. {@code Sdpa}
     * @param forwardParams e.g. {@code "q: Tensor, k: Tensor"}
     * @param forwardBody one or more lines, each indented by 4 spaces relative to {@code def}
     */
    static byte[] module(String className, String forwardParams, String forwardBody) {
        return module(className, forwardParams, "Tensor", forwardBody);
    }

    /**
     * The archive bytes for module class {@code className} whose {@code forward} has the given
     * TorchScript signature (without {@code self}), return type and body.
     */
    static byte[] module(
            String className, String forwardParams, String returnType, String forwardBody) {
        String code =
                "class "
                        + className
                        + "(Module):\n"
                        + "  __parameters__ = []\n"
                        + "  __buffers__ = []\n"
                        + "  training : bool\n"
                        + "  def forward(self: __torch__."
                        + className
                        + ",\n"
                        + "    "
                        + forwardParams
                        + ") -> "
                        + returnType
                        + ":\n"
                        + forwardBody
                                .lines()
                                .map(l -> "    " + l + "\n")
                                .reduce("", String::concat);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("data.pkl", modulePickle(className));
        entries.put("code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        entries.put("constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        entries.put("version", "3\n".getBytes(StandardCharsets.US_ASCII));
        entries.put("byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        return zip(className.toLowerCase(java.util.Locale.ROOT), entries);
    }

    /**
     * {@code __torch__.<className>()} with state {@code {"training": True}}, as torch.jit.save
     * pickles a module.
     */
    static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80); // PROTO
        p.write(2);
        p.write('c'); // GLOBAL module\nname\n
        p.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write('q'); // BINPUT 0
        p.write(0);
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE len(le32) bytes
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write('q'); // BINPUT 1
        p.write(1);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static byte[] zip(String root, Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(root + "/" + e.getKey());
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "torchscript: cannot write archive: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}

package io.taskdeck.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Groups failures that are "the same error": the task, the error type and the message with its
 * variable parts (uuids, ids, numbers, hex) replaced, so that "card declined for order 123" and
 * "card declined for order 456" share a fingerprint.
 */
public final class ErrorFingerprint {

    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern PREFIXED_ID = Pattern.compile("\\b[A-Za-z]{1,12}_[A-Za-z0-9]{4,}\\b");
    private static final Pattern MIXED_TOKEN = Pattern.compile("\\b(?=[A-Za-z_-]*\\d)(?=\\d*[A-Za-z])[A-Za-z0-9_-]{8,}\\b");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final int MAX_MESSAGE = 500;

    private ErrorFingerprint() {
    }

    /** The message with its variable parts replaced by placeholders. */
    public static String normalize(String message) {
        if (message == null) {
            return "";
        }
        String s = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        s = UUID.matcher(s).replaceAll("<uuid>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = PREFIXED_ID.matcher(s).replaceAll("<id>");
        s = MIXED_TOKEN.matcher(s).replaceAll("<id>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        return SPACES.matcher(s.trim()).replaceAll(" ");
    }

    /** A short stable key: the first 16 hex digits of SHA-256 over task, type and normalized message. */
    public static String of(String taskId, String errorType, String message) {
        String basis = taskId + '\n' + errorType + '\n' + normalize(message);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package io.taskdeck.client;

/**
 * One invalid input field.
 *
 * @param field    a JSON path into the request ({@code "options.tags[3]"}, {@code "payload.reportId"}) or a
 *                 query parameter name
 * @param expected what would have been accepted ({@code "at most 10 tags"})
 * @param got      what was sent, abbreviated; may be null
 */
public record FieldError(String field, String expected, String got) {
}

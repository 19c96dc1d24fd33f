package org.livepeer.naap.schemas.family;

/**
 * The payload of a {@code type} this contract does not know ({@code unknown_family}): archived as
 * is, feeds no metric.
 *
 * @param json the payload as compact JSON text
 */
public record UnknownPayload(String json) implements FamilyPayload {}

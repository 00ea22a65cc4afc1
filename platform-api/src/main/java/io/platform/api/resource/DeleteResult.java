package io.platform.api.resource;

import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of a delete: the object as last stored, and whether it is gone ({@code removed})
 * or only marked with a deletionTimestamp while finalizers or a grace period run.
 */
public record DeleteResult(ObjectNode object, boolean removed) {}

package io.platform.api.resource;

/**
 * Which part of an object a write may change: the main resource (status kept from storage for
 * types with a status subresource), only the status ({@code /status}), or anything the server
 * itself decides (bindings, deletion marks).
 */
public enum UpdateMode { MAIN, STATUS, SERVER }

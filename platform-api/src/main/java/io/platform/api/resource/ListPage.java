package io.platform.api.resource;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** One page of a list: the matching objects, the revision read at, and the token for the next page. */
public record ListPage(List<ObjectNode> items, long revision, @Nullable String continueToken) {}

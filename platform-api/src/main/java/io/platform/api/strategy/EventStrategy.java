package io.platform.api.strategy;

/** Events: names only need to be valid path segments (clients append dotted hex suffixes). */
final class EventStrategy implements ResourceStrategy {

    @Override
    public NameRule nameRule() {
        return NameRule.PATH_SEGMENT;
    }

    @Override
    public boolean keepsStatusOnCreate() {
        return true;
    }
}

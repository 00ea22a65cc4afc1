package io.platform.api.strategy;

/** Nodes: as upstream, a node registering itself may set its status on create. */
final class NodeStrategy implements ResourceStrategy {

    @Override
    public boolean keepsStatusOnCreate() {
        return true;
    }
}

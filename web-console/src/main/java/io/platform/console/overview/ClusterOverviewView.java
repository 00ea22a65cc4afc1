package io.platform.console.overview;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.Registration;
import io.platform.console.ConsoleProperties;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster overview: every node and every pod, refreshed by a polling tick while the page is
 * open. Read-only: the console offers no action that changes the cluster yet.
 */
@Route("")
@PageTitle("Cluster overview")
public class ClusterOverviewView extends VerticalLayout {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ClusterSnapshots snapshots;
    private final int pollMillis;
    private final Paragraph status = new Paragraph();
    private final Grid<NodeRow> nodes = new Grid<>(NodeRow.class, false);
    private final Grid<PodRow> pods = new Grid<>(PodRow.class, false);
    private @Nullable ClusterSnapshot shown;
    private @Nullable Registration polling;

    public ClusterOverviewView(ClusterSnapshots snapshots, ConsoleProperties properties) {
        this.snapshots = snapshots;
        this.pollMillis = Math.toIntExact(Math.max(500, properties.refreshInterval().toMillis()));
        addClassName("cluster-overview");
        setSizeFull();

        status.addClassName("overview-status");
        status.setId("overview-status");

        nodes.setId("nodes");
        nodes.addColumn(NodeRow::name).setHeader("Name").setSortable(true).setAutoWidth(true);
        nodes.addColumn(NodeRow::status).setHeader("Status").setSortable(true).setAutoWidth(true);
        nodes.addColumn(NodeRow::addresses).setHeader("Addresses").setAutoWidth(true);
        nodes.addColumn(NodeRow::cpu).setHeader("CPU").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        nodes.addColumn(NodeRow::memory).setHeader("Memory").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        nodes.addColumn(NodeRow::age).setHeader("Age").setAutoWidth(true);
        nodes.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        nodes.setAllRowsVisible(true);

        pods.setId("pods");
        pods.addColumn(PodRow::namespace).setHeader("Namespace").setSortable(true).setAutoWidth(true);
        pods.addColumn(PodRow::name).setHeader("Name").setSortable(true).setAutoWidth(true);
        pods.addColumn(PodRow::status).setHeader("Status").setSortable(true).setAutoWidth(true);
        pods.addColumn(PodRow::ready).setHeader("Ready").setAutoWidth(true);
        pods.addColumn(PodRow::restarts).setHeader("Restarts").setTextAlign(ColumnTextAlign.END).setAutoWidth(true);
        pods.addColumn(PodRow::node).setHeader("Node").setSortable(true).setAutoWidth(true);
        pods.addColumn(PodRow::ip).setHeader("IP").setAutoWidth(true);
        pods.addColumn(PodRow::age).setHeader("Age").setAutoWidth(true);
        pods.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);

        add(new H1("Cluster overview"), status, new H2("Nodes"), nodes, new H2("Pods"), pods);
        setFlexGrow(1, pods);
        show(ClusterSnapshot.notReadYet());
    }

    @Override
    protected void onAttach(AttachEvent event) {
        UI ui = event.getUI();
        ui.setPollInterval(pollMillis);
        polling = ui.addPollListener(poll -> show(snapshots.latest()));
        show(snapshots.latest());
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (polling != null) {
            polling.remove();
            polling = null;
        }
        event.getUI().setPollInterval(-1);
    }

    /** Puts a snapshot on the page; a snapshot already shown is not sent to the browser again. */
    void show(ClusterSnapshot snapshot) {
        if (snapshot.equals(shown)) {
            return;
        }
        shown = snapshot;
        nodes.setItems(snapshot.nodes());
        pods.setItems(snapshot.pods());
        status.setText(statusLine(snapshot));
        status.getElement().getClassList().set("error", snapshot.error() != null);
    }

    static String statusLine(ClusterSnapshot snapshot) {
        if (snapshot.error() != null) {
            return snapshot.readAt() == null
                    ? snapshot.error()
                    : snapshot.error() + " (showing what was read at " + TIME.format(snapshot.readAt()) + ")";
        }
        if (snapshot.readAt() == null) {
            return "Reading the cluster…";
        }
        return count(snapshot.nodes(), "node") + ", " + count(snapshot.pods(), "pod") + " · updated "
                + TIME.format(snapshot.readAt());
    }

    private static String count(List<?> items, String noun) {
        return items.size() + " " + noun + (items.size() == 1 ? "" : "s");
    }

    List<NodeRow> nodeRows() {
        return nodes.getListDataView().getItems().toList();
    }

    List<PodRow> podRows() {
        return pods.getListDataView().getItems().toList();
    }

    String statusText() {
        return status.getText();
    }
}

package io.platform.console;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.lumo.Lumo;

/** The page shell: Lumo plus our own stylesheet, both plain CSS so no frontend bundle build is needed. */
@StyleSheet(Lumo.STYLESHEET)
@StyleSheet("console.css")
public class ConsoleShell implements AppShellConfigurator {

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Platform console");
    }
}

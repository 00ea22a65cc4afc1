package io.platform.api.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

    @Test
    void readsEachBackend() {
        assertThat(StoreUrl.parse("sqlite:/var/lib/platform/state.db"))
                .isEqualTo(new StoreUrl.Sqlite(Path.of("/var/lib/platform/state.db")));
        assertThat(StoreUrl.parse("sqlite:rel/state.db"))
                .isEqualTo(new StoreUrl.Sqlite(Path.of("rel/state.db").toAbsolutePath().normalize()));

        StoreUrl.Postgres postgres = (StoreUrl.Postgres) StoreUrl.parse("postgres://app:s%40cret@db.example:5433/platform");
        assertThat(postgres.user()).isEqualTo("app");
        assertThat(postgres.password()).isEqualTo("s@cret");
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/platform");
        assertThat(postgres.display()).doesNotContain("cret");
        assertThat(((StoreUrl.Postgres) StoreUrl.parse("postgresql://h1:5432,h2:5432/p?sslmode=require")).jdbcUrl())
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/p?sslmode=require");

        assertThat(StoreUrl.parse("etcd://10.0.0.1:2379,10.0.0.2:2379"))
                .isEqualTo(new StoreUrl.Etcd(
                        List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://10.0.0.2:2379")), false));
        assertThat(StoreUrl.parse("etcds://etcd.example:2379/"))
                .isEqualTo(new StoreUrl.Etcd(List.of(URI.create("https://etcd.example:2379")), true));
    }

    @Test
    void refusesOtherFormsNamingTheAcceptedOnes() {
        for (String bad : new String[] {"mysql://h/db", "/plain/path.db", "sqlite:", "postgres://h:5432",
                "etcd://no-port", "etcd:/h:1", "postgres://u:pw@h/"}) {
            assertThatThrownBy(() -> StoreUrl.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("accepted forms: sqlite:PATH, postgres://")
                    .hasMessageContaining("etcd://HOST:PORT")
                    .hasMessageNotContaining(":pw@");
        }
    }
}

/**
 * The plugin SPI: everything a third-party engine or credential plugin programs against.
 *
 * <p>A plugin is a folder of jars ({@code plugins/<id>/}) holding one named module that
 * declares {@code provides dbtool.spi.EnginePlugin with ...} (or {@link dbtool.spi.CredentialProvider}).
 * dbtool resolves each folder into its own {@link java.lang.ModuleLayer} on top of the boot
 * layer, so a plugin's drivers stay private to it. Only JDK types cross this boundary.
 *
 * <p>Flow of one troubleshoot: {@link dbtool.spi.EnginePlugin#open} gives an
 * {@link dbtool.spi.EngineSession}; each {@link dbtool.spi.Check} of the plugin runs against
 * it with a shared deadline ({@link dbtool.spi.CheckContext}) and returns a
 * {@link dbtool.spi.CheckResult} of {@link dbtool.spi.Finding}s and metrics.
 */
package dbtool.spi;

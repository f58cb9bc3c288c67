package io.lakehousecdc.app.control;

/**
 * What importing the config file changed.
 *
 * @param sources sources added or whose settings changed
 * @param added tables added
 * @param changed tables whose settings in the file differed from the control plane's
 * @param unchanged tables already as the file describes them
 */
public record ImportSummary(int sources, int added, int changed, int unchanged) {}

/**
 * The name the processing module is installed and registered under. It is the one setting every other use
 * follows: the `processingmodule.module` rows the plugin serves, the panel XML (`billmgr_mod_<name>.xml` and the
 * names inside it), the installed executable `processing/<name>` and the logo. It is not BILLmanager's own
 * `pmbillmgr`: a plugin must never shadow or overwrite a vendor module (host contract section 1).
 */
export const MODULE_NAME = 'pmbmreseller';

/**
 * The referral counter's CGI program: `<mgrdir>/cgi/<name>`, served by the panel at `/mancgi/<name>`. Not the
 * vendor's own `counter`.
 */
export const COUNTER_CGI_NAME = 'bmp-counter';

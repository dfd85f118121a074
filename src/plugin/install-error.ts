/** What install, uninstall and release building throw when they refuse: the message says what and why. */
export class PluginInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginInstallError';
  }
}

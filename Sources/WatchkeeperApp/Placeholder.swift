// WatchkeeperApp

function trackVisit() { return 1; }

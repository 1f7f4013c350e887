print("watchkeeper")

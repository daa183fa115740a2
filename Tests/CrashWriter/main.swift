import Storage

print("crashwriter")

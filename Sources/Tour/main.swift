print("This example is being written; see the README.")

console.log("keel panel test asset");

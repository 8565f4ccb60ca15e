"""Web maps through folium: :class:`~geo.outputs.web.layer.RangeLayer` on any ``folium.Map``,
:func:`~geo.outputs.web.page.build_map`, the live map, and :func:`~geo.outputs.web.offline.write_map`
(one offline file). Modules: ``data`` (the blob drawn), ``layer``, ``basemap`` (Leaflet and the
land), ``page``, ``offline``, ``assets``; ``js/`` and ``vendor/`` are package data.
Nothing here loads until a web map is made (``rangemap check`` never imports folium)."""

__all__: list[str] = []

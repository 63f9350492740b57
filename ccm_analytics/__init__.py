"""CCM Analytics: the analytics core of the ISU dashboard for the Convention on Cluster Munitions.

The core never imports Streamlit; the UI layer lives in ``ccm_analytics.ui``.
"""

__version__ = "0.1.0"
